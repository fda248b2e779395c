// Protocol knowledge that is not translation: which API a path names, which protocol the client
// speaks, and error bodies in both protocols.
//
//   detectApi(path): ApiName            (query string ignored; suffix match)
//   clientProtocolOf(api, anthropicHeaders = false): Protocol
//   clientProtocolForPath(path, anthropicHeaders = false): Protocol
//   upstreamPathFor(api, upstream): string   ("" = keep the client's path)
//   errorBody(protocol, status, message)  anthropicErrorBody / openaiErrorBody
//   convertErrorBody(client, status, body)  clientErrorStatus(client, status)
//   extractError(status, body): ErrorInfo   streamErrorEvent(client, status, message)

export { Protocol, ApiName, stripQuery, detectApi, clientProtocolOf, clientProtocolForPath } from "./api";
export {
  anthropicErrorType, statusOfAnthropicType, openaiErrorType, statusOfOpenAIError, clientErrorStatus,
  anthropicErrorBody, openaiErrorBody, errorBody, ErrorInfo, extractError, convertErrorBody, streamErrorEvent,
  writeAnthropicError, writeOpenAIError, errorInfoFromValue,
} from "./errors";
export { upstreamPathFor } from "./paths";
