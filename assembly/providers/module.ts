// The hooks a provider that deviates from its table row implements (one file per provider under providers/), and
// the base class of the configuration fields such a module owns. A row names its module (table.ts); the plugin
// calls the hooks through the row, so no code outside the module tests the provider's type.
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { Schema } from "../protocol/api";

/** Configuration fields a provider module reads for itself (ProviderConfig.settings; subclassed per module). */
export class ProviderSettings {}

export class ProviderModule {
  /** The configuration fields this provider reads beyond the common ones (not warned about as unknown). */
  fields(): Array<string> { return []; }

  /** Reads the module's own fields (into `p.settings`) and checks them; errors name the field. */
  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {}

  /** Fills the provider's own placeholders in a path template (`{apiVersion}` …); {model} is filled by resolve.ts. */
  fillPath(p: ProviderConfig, path: string): string { return path; }

  /** Edits a translated request body in the upstream `schema` (fields the configuration adds); null: unchanged. */
  editRequest(p: ProviderConfig, body: Uint8Array, schema: Schema): Uint8Array | null { return null; }
}
