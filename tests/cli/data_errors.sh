#!/usr/bin/env bash
# Bad data files: exit 3 with one message naming the line (and column).
# usage: bash tests/cli/data_errors.sh <path-to-nnmath> <source-dir>
# shellcheck source=tests/cli/common.bash
source "$(dirname "$0")/common.bash"

D="$TMP/data"
mkdir -p "$D"
ROW1=$(sed -n 1p "$DIGITS")
ROW2=$(sed -n 2p "$DIGITS")
ROW3=$(sed -n 3p "$DIGITS")

# ---- a good small file works (so the failures below are about the data) ----
printf '%s\n%s\n%s\n' "$ROW1" "$ROW2" "$ROW3" >"$D/good.csv"
run train --data "$D/good.csv" --test-fraction 0 --epochs 1 --json
check "a small valid file trains (exit 0)" [ "$RC" -eq 0 ]

# ---- the errors ----
: >"$D/empty.csv"
expect_error "empty file" 3 "empty" train --data "$D/empty.csv"
check "empty file message names the file" grep -qF "empty.csv" "$TMP/stderr"

printf '%s\n%s\n%s\n' "$ROW1" "$ROW2" "${ROW3%,*}" >"$D/columns.csv"
expect_error "wrong column count names the line" 3 "line 3" train --data "$D/columns.csv"
check "wrong column count message names the file" grep -qF "columns.csv: line 3" "$TMP/stderr"

printf '%s,0\n' "$ROW1" >"$D/extra.csv"
expect_error "an extra column names the line" 3 "line 1" train --data "$D/extra.csv"

# Row 2 starts 0,0,0,12: make its 4th value 17.
printf '%s\n%s\n' "$ROW1" "0,0,0,17${ROW2#0,0,0,12}" >"$D/seventeen.csv"
expect_error "value 17 names line and column" 3 "line 2, column 4" train --data "$D/seventeen.csv"
check "value 17 message quotes the value" grep -qF '17' "$TMP/stderr"

printf '%s\n' "0,abc${ROW1#0,0}" >"$D/text.csv"
expect_error "text \"abc\" names line and column" 3 "line 1, column 2" train --data "$D/text.csv"
check "text message quotes the text" grep -qF 'abc' "$TMP/stderr"

printf '%s\n' "${ROW1%,*},10" >"$D/label.csv"
expect_error "label 10 names line and column 65" 3 "line 1, column 65" train --data "$D/label.csv"

printf '%s\n' "${ROW1%,*},-1" >"$D/negative.csv"
expect_error "label -1 is refused" 3 "line 1, column 65" train --data "$D/negative.csv"

printf '%s\n\n%s\n' "$ROW1" "$ROW2" >"$D/blank-line.csv"
run train --data "$D/blank-line.csv" --test-fraction 0 --epochs 1 --json
check "a blank line in the middle is refused (exit 3)" [ "$RC" -eq 3 ]

printf '%s\r\n%s\r\n' "$ROW1" "$ROW2" >"$D/crlf.csv"
run train --data "$D/crlf.csv" --test-fraction 0 --epochs 1 --json
check "CRLF line ends are accepted" [ "$RC" -eq 0 ]

printf '%s\n%s' "$ROW1" "$ROW2" >"$D/no-final-newline.csv"
run train --data "$D/no-final-newline.csv" --test-fraction 0 --epochs 1 --json
check "a missing final newline is accepted" [ "$RC" -eq 0 ]

# More than 100000 rows (the parser's limit), generated quickly.
yes "$ROW1" | head -n 100001 >"$D/huge.csv"
expect_error "more than 100000 rows is refused" 3 "100000" train --data "$D/huge.csv"
check "huge file message names the file" grep -qF "huge.csv" "$TMP/stderr"

expect_error "missing file" 3 "cannot read data file" train --data "$D/nope.csv"
check "missing file message names the file and the reason" \
    grep -qF "nope.csv\": No such file or directory" "$TMP/stderr"

expect_error "a directory is not a data file" 3 "cannot read data file" train --data "$D"

# Every row ends up in the test set: nothing to train on.
expect_error "no training rows left" 3 "no rows left for training" \
    train --data "$D/good.csv" --test-fraction 0.9

# Data errors print nothing on stdout, even with --json.
run train --data "$D/label.csv" --json
check "a data error prints nothing on stdout" [ -z "$OUT" ]

finish
