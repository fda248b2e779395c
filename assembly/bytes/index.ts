// Bytes: the shared byte-level toolkit (used by json/, sse/, translate/, plugin/).
//
//   ByteBuffer                     growable output buffer
//     new ByteBuffer(cap = 256)
//     length, capacity, clear(), truncate(n), byteAt(i) (-1 when out of range), lastByte()
//     pushByte(b), push2(a, b), pushBytes(u8a), pushSlice(u8a, start, end = -1), pushBuffer(other),
//     pushString(s) (UTF-8; lone surrogates -> U+FFFD), pushInt(i64)
//     toBytes() copy | take() zero-copy, buffer restarts empty | view() aliasing view | toString() UTF-8 decode
//
//   utf8Encode(s): Uint8Array          utf8Length(s): i32
//   utf8Decode(bytes, start = 0, end = -1): string   (invalid sequences -> U+FFFD, never traps)
//   utf8Validate(bytes, start = 0, end = -1): i32    (-1 when valid, else offset of the first bad byte)
//   bytesEqualString(bytes, start, end, s): bool     (no allocation)
//   bytesEqual(a, b), indexOfByte(bytes, b, from = 0, end = -1), copyBytes(bytes, start, end), sliceView(...),
//   concatBytes(a, b) (either one itself when the other is empty)
//
// All ranges are clamped: out-of-range indices never trap.

export { ByteBuffer } from "./buffer";
export {
  utf8Encode, utf8EncodeInto, utf8Length, utf8Decode, utf8DecodePtr, utf8DecodeInto, utf8Validate, utf8SeqLen, utf8InvalidSpan, utf8EqualsPtr,
  bytesEqualString, bytesEqual, indexOfByte, copyBytes, concatBytes, sliceView, clampStart, clampEnd,
} from "./utf8";
