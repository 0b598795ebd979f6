/* peak_wasm.c — the same 128-bit peak kernel in wasm SIMD (6 f32x4.mul and 6 f32x4.add chains;
 * wasm SIMD has no FMA without relaxed-simd).  Built by bench/run.sh with
 *   emcc -O2 -msimd128 --no-entry -sSTANDALONE_WASM -o bench/out/bin/peak_wasm.wasm bench/peak/peak_wasm.c
 * and run by bench/peak/peak_wasm.js in Node (and the bench page).  kernel(iters, seed)
 * does iters × 24 instructions × 4 lanes flops and returns a float to keep the work live. */
#include <wasm_simd128.h>

__attribute__((export_name("kernel"))) float kernel(int iters, float seed) {
    v128_t m0 = wasm_f32x4_splat(seed), m1 = wasm_f32x4_splat(seed + 1), m2 = wasm_f32x4_splat(seed + 2);
    v128_t m3 = wasm_f32x4_splat(seed + 3), m4 = wasm_f32x4_splat(seed + 4), m5 = wasm_f32x4_splat(seed + 5);
    v128_t a0 = wasm_f32x4_splat(seed - 1), a1 = wasm_f32x4_splat(seed - 2), a2 = wasm_f32x4_splat(seed - 3);
    v128_t a3 = wasm_f32x4_splat(seed - 4), a4 = wasm_f32x4_splat(seed - 5), a5 = wasm_f32x4_splat(seed - 6);
    const v128_t up = wasm_f32x4_splat(1.0000001f), eps = wasm_f32x4_splat(1e-7f); /* 14 registers: V8 has 15 */
    for (int i = 0; i < iters; i++) {
        m0 = wasm_f32x4_mul(m0, up); m1 = wasm_f32x4_mul(m1, up); m2 = wasm_f32x4_mul(m2, up);
        m3 = wasm_f32x4_mul(m3, up); m4 = wasm_f32x4_mul(m4, up); m5 = wasm_f32x4_mul(m5, up);
        a0 = wasm_f32x4_add(a0, eps); a1 = wasm_f32x4_add(a1, eps); a2 = wasm_f32x4_add(a2, eps);
        a3 = wasm_f32x4_add(a3, eps); a4 = wasm_f32x4_add(a4, eps); a5 = wasm_f32x4_add(a5, eps);
        m0 = wasm_f32x4_mul(m0, up); m1 = wasm_f32x4_mul(m1, up); m2 = wasm_f32x4_mul(m2, up);
        m3 = wasm_f32x4_mul(m3, up); m4 = wasm_f32x4_mul(m4, up); m5 = wasm_f32x4_mul(m5, up);
        a0 = wasm_f32x4_add(a0, eps); a1 = wasm_f32x4_add(a1, eps); a2 = wasm_f32x4_add(a2, eps);
        a3 = wasm_f32x4_add(a3, eps); a4 = wasm_f32x4_add(a4, eps); a5 = wasm_f32x4_add(a5, eps);
    }
    v128_t s = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(m0, a0), wasm_f32x4_add(m1, a1)),
                              wasm_f32x4_add(wasm_f32x4_add(m2, a2), wasm_f32x4_add(m3, a3)));
    s = wasm_f32x4_add(s, wasm_f32x4_add(wasm_f32x4_add(m4, a4), wasm_f32x4_add(m5, a5)));
    return wasm_f32x4_extract_lane(s, 0);
}
