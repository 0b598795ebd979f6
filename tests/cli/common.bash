# shellcheck shell=bash disable=SC2034  # variables used by the sourcing scripts
# Shared helpers for the CLI tests (sourced, not run: ctest only runs *.sh).
#
#   bash tests/cli/X.sh <path-to-nnmath> <source-dir>
#
# Each check prints one line ("ok - ..." or "FAIL - ..."); finish prints
# "N passed, N failed" and exits non-zero if anything failed.

if [ $# -lt 2 ]; then
    echo "usage: bash $0 <path-to-nnmath> <source-dir>" >&2
    exit 2
fi
NNMATH=$1
SRC=$2
DIGITS="$SRC/data/digits.csv"
PASSED=0
FAILED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nnmath-cli.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT

if [ ! -x "$NNMATH" ]; then
    echo "FAIL - $NNMATH is not an executable"
    echo "0 passed, 1 failed"
    exit 1
fi

pass() { echo "ok - $1"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL - $1${2:+ ($2)}"; FAILED=$((FAILED + 1)); }

# check NAME CONDITION-COMMAND... : pass if the command succeeds.
check() {
    local name=$1
    shift
    if "$@"; then pass "$name"; else fail "$name"; fi
}

# run ARGS... : runs nnmath; sets RC, OUT (stdout) and ERR (stderr).
run() {
    "$NNMATH" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
    RC=$?
    OUT=$(cat "$TMP/stdout")
    ERR=$(cat "$TMP/stderr")
}

# stderr is exactly one line starting with "nnmath: " and containing PHRASE
# (case-insensitive, fixed string).
one_line_error_with() {
    local phrase=$1 lines
    lines=$(printf '%s\n' "$ERR" | grep -c '')
    [ "$lines" -eq 1 ] && [ "${ERR#nnmath: }" != "$ERR" ] &&
        printf '%s\n' "$ERR" | grep -qiF -- "$phrase"
}

# expect_error NAME CODE PHRASE ARGS... : nnmath ARGS exits with CODE and
# prints one "nnmath: " line on stderr containing PHRASE.
expect_error() {
    local name=$1 code=$2 phrase=$3
    shift 3
    run "$@"
    if [ "$RC" -ne "$code" ]; then
        fail "$name" "exit $RC, expected $code; stderr: $ERR"
    elif ! one_line_error_with "$phrase"; then
        fail "$name" "stderr should be one 'nnmath: ' line with \"$phrase\", got: $ERR"
    else
        pass "$name"
    fi
}

# json_field FILE-WITH-ONE-JSON-LINE KEY : prints the value (JSON), via node.
json_field() {
    node -e '
        const fs = require("fs");
        const obj = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
        process.stdout.write(JSON.stringify(obj[process.argv[2]]));
    ' "$1" "$2"
}

# same_epoch_lines FILE1 FILE2 : both hold the same, non-empty, list of epoch lines.
same_epoch_lines() {
    grep -q '"epoch"' "$1" && diff <(grep '"epoch"' "$1") <(grep '"epoch"' "$2") >/dev/null
}

# last_line TEXT : the last line of TEXT.
last_line() { printf '%s\n' "$1" | tail -n 1; }

# ge A B / lt A B : numeric comparisons of decimal numbers (via awk).
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }

# check_json_output FILE EPOCHS TEST_COUNT : FILE holds nnmath --json output
# for a run of EPOCHS epochs whose test set has TEST_COUNT rows (0 = none).
# Prints the problems found; succeeds if there are none.
check_json_output() {
    node -e '
        const fs = require("fs");
        const [file, epochsArg, testArg] = process.argv.slice(1);
        const epochs = Number(epochsArg), testCount = Number(testArg);
        const problems = [];
        const lines = fs.readFileSync(file, "utf8").split("\n");
        if (lines.pop() !== "") problems.push("the output does not end with a newline");
        const objs = [];
        lines.forEach((line, i) => {
            try { objs.push(JSON.parse(line)); }
            catch (e) { problems.push(`line ${i + 1} is not JSON: ${line.slice(0, 80)}`); }
        });
        if (objs.length !== epochs + 1)
            problems.push(`expected ${epochs + 1} lines, got ${objs.length}`);
        const metricKeys = ["train_cost", "test_cost", "train_acc", "test_acc"];
        const isNum = v => typeof v === "number" && Number.isFinite(v);
        const checkMetrics = (o, where) => {
            for (const k of ["train_cost", "train_acc"])
                if (!isNum(o[k])) problems.push(`${where}: ${k} is ${o[k]}`);
            for (const k of ["test_cost", "test_acc"])
                if (testCount ? !isNum(o[k]) : o[k] !== null)
                    problems.push(`${where}: ${k} is ${o[k]}`);
            for (const k of ["train_acc", "test_acc"])
                if (isNum(o[k]) && (o[k] < 0 || o[k] > 1)) problems.push(`${where}: ${k} = ${o[k]}`);
        };
        objs.slice(0, -1).forEach((o, i) => {
            const keys = Object.keys(o).join(",");
            if (keys !== ["epoch", ...metricKeys].join(","))
                problems.push(`epoch line ${i + 1} has keys ${keys}`);
            if (o.epoch !== i + 1) problems.push(`line ${i + 1} has epoch ${o.epoch}`);
            checkMetrics(o, `epoch ${i + 1}`);
        });
        const done = objs[objs.length - 1] || {};
        const want = ["done", "epochs", ...metricKeys, "confusion", "seconds", "samples_per_second"];
        if (Object.keys(done).join(",") !== want.join(","))
            problems.push(`the final line has keys ${Object.keys(done).join(",")}`);
        if (done.done !== true) problems.push("the final line lacks done:true");
        if (done.epochs !== epochs) problems.push(`the final line says ${done.epochs} epochs`);
        checkMetrics(done, "final line");
        const last = objs[objs.length - 2];
        if (last) for (const k of metricKeys)
            if (last[k] !== done[k]) problems.push(`final ${k} ${done[k]} != last epoch ${last[k]}`);
        const c = done.confusion;
        if (!Array.isArray(c) || c.length !== 10 ||
            !c.every(r => Array.isArray(r) && r.length === 10 && r.every(Number.isInteger)))
            problems.push("confusion is not 10 rows of 10 whole numbers");
        else {
            const total = c.flat().reduce((a, b) => a + b, 0);
            const diag = c.reduce((a, r, i) => a + r[i], 0);
            if (testCount && total !== testCount)
                problems.push(`confusion counts ${total} rows, the test set has ${testCount}`);
            const acc = testCount ? done.test_acc : done.train_acc;
            if (Math.abs(diag / total - acc) > 1e-6)
                problems.push(`confusion diagonal ${diag}/${total} != accuracy ${acc}`);
        }
        if (!isNum(done.seconds) || done.seconds < 0) problems.push(`seconds ${done.seconds}`);
        if (!isNum(done.samples_per_second) || done.samples_per_second < 0 ||
            (epochs > 0 && done.seconds > 0 && !(done.samples_per_second > 0)))
            problems.push(`samples_per_second ${done.samples_per_second}`);
        problems.forEach(p => console.log("    " + p));
        process.exit(problems.length ? 1 : 0);
    ' "$1" "$2" "$3"
}

finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
    exit $?
}
