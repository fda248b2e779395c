// A response translator composed of two: `inner` turns the upstream's answers into an intermediate schema, `outer`
// turns those into the client's. The registry (index.ts) builds it for a pair with no translator of its own.
import { concatBytes } from "../bytes/utf8";
import { ResponseTranslator } from "./common";

export class ChainedTranslator extends ResponseTranslator {
  constructor(public outer: ResponseTranslator, public inner: ResponseTranslator) {
    super(outer.client, inner.upstream, outer.opts, outer.stream);
  }

  /** Copies what the plugin reads: usage and model as the upstream reported them, the rest as the client sees it. */
  private sync(out: Uint8Array): Uint8Array {
    this.usage = this.inner.usage;
    this.model = this.inner.model;
    this.stopReason = this.outer.stopReason;
    this.started = this.outer.started;
    this.finished = this.outer.finished;
    return out;
  }

  body(whole: Uint8Array, status: i32): Uint8Array {
    const mid = this.inner.body(whole, status);
    return this.sync(this.outer.body(mid, this.inner.clientStatus(status)));
  }

  collectsStream(): bool { return this.inner.collectsStream(); }

  clientStatus(status: i32): i32 {
    return this.outer.clientStatus(this.inner.clientStatus(status));
  }

  chunk(bytes: Uint8Array): Uint8Array {
    this.outer.clientIncludeUsage = this.clientIncludeUsage;
    return this.sync(this.outer.chunk(this.inner.chunk(bytes)));
  }

  end(): Uint8Array {
    this.outer.clientIncludeUsage = this.clientIncludeUsage;
    const last = this.outer.chunk(this.inner.end());
    return this.sync(concatBytes(last, this.outer.end()));
  }

  error(status: i32, body: Uint8Array): Uint8Array {
    return this.sync(this.outer.error(this.inner.clientStatus(status), this.inner.error(status, body)));
  }

  fail(status: i32, message: string): Uint8Array {
    const mid = this.outer.chunk(this.inner.fail(status, message));
    return this.sync(concatBytes(mid, this.outer.fail(status, message)));
  }
}
