describe("toolchain", () => {
  it("runs as-pect on AssemblyScript 0.27", () => {
    expect<i32>(1 + 1).toBe(2);
  });
});
