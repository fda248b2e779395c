// interopProblem (json/interop.ts, one pass over the tape) must say exactly what protocol/validate.ts's
// requestProblem says, on every input: same rules, same message, same first problem.
import { parseJsonString, interopProblem } from "../json";
import { requestProblem } from "../protocol/validate";

const CASES: string[] = [
  "{}", "[]", "1", "\"x\"", "null",
  "{\"model\":\"a\",\"model\":\"b\"}",
  "{\"a\":1,\"b\":{\"c\":1,\"c\":2},\"a\":3}",
  "{\"a\":{\"x\":1,\"x\":2},\"a\":1}",
  "{\"a\":[1,{\"k\":\"\\ud800\"}],\"a\":2}",
  "{\"a\":1,\"\\u0061\":2}",
  "{\"\\ud800\":1,\"\\ud800\":2}",
  "{\"s\":\"\\ud83d\\ude00 ok\",\"t\":\"\\udc00\"}",
  "{\"s\":\"\\ud83d\"}", "{\"s\":\"\\ud83dx\"}", "{\"s\":\"\\\\ud800\"}", "{\"s\":\"a\\n\\u0041\\\"\"}",
  "{\"n\":1e999}", "{\"n\":-1e999}", "{\"n\":1e-999}", "{\"n\":-0}", "{\"n\":0.5,\"m\":1E+400}",
  "[1e308,1.7976931348623157e308,1.8e308]",
  "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,\"k\":11,\"l\":12,\"m\":13,\"n\":14,\"o\":15,\"p\":16,\"q\":17,\"r\":18,\"c\":19}",
  "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,\"k\":11,\"l\":12,\"m\":13,\"n\":14,\"o\":15,\"p\":16,\"q\":17,\"r\":18,\"s\":19}",
  "{\"x\":[{\"a\":1,\"b\":1e999},{\"a\":1,\"a\":2}],\"y\":\"\\udfff\"}",
  "{\"é\":1,\"e\":2,\"é\":3}",
];

describe("interopProblem", () => {
  it("agrees with requestProblem", () => {
    for (let i = 0; i < CASES.length; i++) {
      const v = parseJsonString(CASES[i]).value!;
      expect<string>(interopProblem(v)).toBe(requestProblem(v), CASES[i]);
    }
    // Long numbers: integers of 300+ digits and long fractions.
    let big = "";
    for (let i = 0; i < 320; i++) big += "9";
    const v = parseJsonString("[" + big + "," + big.substring(0, 300) + ",0." + big + "]").value!;
    expect<string>(interopProblem(v)).toBe(requestProblem(v));
    expect<bool>(interopProblem(v).length > 0).toBe(true);
  });
});
