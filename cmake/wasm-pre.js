// cmake/wasm-pre.js — --pre-js for the nnmath cores (Emscripten 3.1.6).
// With SINGLE_FILE the wasm is a base64 data: URL inside the script.  In a
// browser, Emscripten 3.1.6 first tries fetch() on that URL, which a strict
// Content-Security-Policy (connect-src 'none') blocks with a console error
// before it falls back to decoding it.  Decode and instantiate it directly
// instead, in every environment: no fetch, no console noise.
Module['instantiateWasm'] = function (info, receiveInstance) {
  var bytes = tryParseAsDataURI(wasmBinaryFile);
  WebAssembly.instantiate(bytes, info).then(function (result) {
    receiveInstance(result.instance, result.module);
  }, function (reason) {
    readyPromiseReject(reason);
  });
  return {};
};
