# cmake/wasm.cmake — the Emscripten build of the nnmath core (included by
# CMakeLists.txt when EMSCRIPTEN is set; configure with
#   NODE_PATH=/usr/share/nodejs emcmake cmake -B build-wasm -DCMAKE_BUILD_TYPE=Release
#   cmake --build build-wasm
# ).  Produces, in the build directory (build-wasm/):
#   nnmath-core-simd.js    -msimd128, factory NNMathCoreSimd
#   nnmath-core-scalar.js  no SIMD,    factory NNMathCoreScalar
#   digits-data.js         data/digits.csv packed by tools/pack_data.js
# Each core is one classic script with the wasm embedded (SINGLE_FILE) that
# defines a factory returning a Promise of the module (MODULARIZE); it loads
# in browsers (also from file://) and in Node (require).  The exported C
# functions are listed once, in src/wasm_exports.json; cmake/wasm-pre.js makes
# the module instantiate its embedded wasm without fetch() (CSP-friendly).

set(NNMATH_ROOT "${CMAKE_CURRENT_LIST_DIR}/..")
get_filename_component(NNMATH_ROOT "${NNMATH_ROOT}" ABSOLUTE)
set(NNMATH_EXPORTS "${NNMATH_ROOT}/src/wasm_exports.json")
set(NNMATH_PRE_JS "${NNMATH_ROOT}/cmake/wasm-pre.js")

# Flags common to both builds.  No -ffast-math: the results must match the
# native build to float rounding.  NODEJS_CATCH_* = 0 so that requiring the
# module does not install process-wide handlers in Node.  emmalloc instead of
# dlmalloc: the core allocates only when a network or data set is created, and
# emmalloc is ~5 KB smaller in the wasm (-2.9 KB gzip of the script).
set(NNMATH_WASM_COMPILE_FLAGS -O3 -Wall -Wextra)
set(NNMATH_WASM_LINK_FLAGS
    -O3
    -sSINGLE_FILE=1
    -sMODULARIZE=1
    -sALLOW_MEMORY_GROWTH=1
    -sMALLOC=emmalloc
    -sENVIRONMENT=web,node
    -sFILESYSTEM=0
    -sNODEJS_CATCH_EXIT=0
    -sNODEJS_CATCH_REJECTION=0
    -sEXPORTED_FUNCTIONS=@${NNMATH_EXPORTS}
    -sEXPORTED_RUNTIME_METHODS=[UTF8ToString]
    --pre-js=${NNMATH_PRE_JS}
)

function(nnmath_wasm_core target export_name)
    add_executable(${target} "${NNMATH_ROOT}/src/nnmath.c" "${NNMATH_ROOT}/src/nn_landscape.c")
    target_include_directories(${target} PRIVATE "${NNMATH_ROOT}/src")
    target_compile_options(${target} PRIVATE ${NNMATH_WASM_COMPILE_FLAGS} ${ARGN})
    target_link_options(${target} PRIVATE ${NNMATH_WASM_LINK_FLAGS}
                        -sEXPORT_NAME=${export_name} ${ARGN})
    set_target_properties(${target} PROPERTIES
        OUTPUT_NAME ${target}
        SUFFIX ".js"
        RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}"
        LINK_DEPENDS "${NNMATH_EXPORTS};${NNMATH_PRE_JS}")
endfunction()

nnmath_wasm_core(nnmath-core-simd NNMathCoreSimd -msimd128)
nnmath_wasm_core(nnmath-core-scalar NNMathCoreScalar -mno-simd128)

# The packaged digits (a classic script defining NNMATH_DIGITS), part of ALL.
# (Not CMAKE_CROSSCOMPILING_EMULATOR: emcmake appends --experimental-wasm-threads,
# which Node 20 refuses.)
find_program(NNMATH_NODE NAMES node nodejs REQUIRED NO_CMAKE_FIND_ROOT_PATH)
add_custom_command(
    OUTPUT "${CMAKE_BINARY_DIR}/digits-data.js"
    COMMAND ${NNMATH_NODE} "${NNMATH_ROOT}/tools/pack_data.js"
            "${NNMATH_ROOT}/data/digits.csv" "${CMAKE_BINARY_DIR}/digits-data.js"
    DEPENDS "${NNMATH_ROOT}/tools/pack_data.js" "${NNMATH_ROOT}/data/digits.csv"
    COMMENT "Packing data/digits.csv into digits-data.js"
    VERBATIM)
add_custom_target(nnmath-digits-data ALL DEPENDS "${CMAKE_BINARY_DIR}/digits-data.js")
