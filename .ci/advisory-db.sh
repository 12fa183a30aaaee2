#!/usr/bin/env bash
# The RustSec advisory database for `cargo deny check advisories`, from the snapshot kept in
# this repository: these machines reach package registries but not GitHub, where the
# database is published.
#
#   .ci/advisory-db.sh                 unpack the snapshot where deny.toml looks for it
#                                      ($CAIRN_ADVISORY_DBS), as the git repository
#                                      cargo-deny expects, dated like the snapshot so that
#                                      deny.toml's maximum-db-staleness means something
#   .ci/advisory-db.sh --refresh DIR   replace the snapshot with a clone of
#                                      https://github.com/rustsec/advisory-db in DIR (run
#                                      where GitHub is reachable; commit the two files)
#
# The snapshot (.ci/advisory-db.tar.gz) holds the database's crates/ advisories and its
# license (CC0-1.0); .ci/advisory-db.txt says which commit of the database it is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SNAPSHOT=.ci/advisory-db.tar.gz
ABOUT=.ci/advisory-db.txt

if [ "${1:-}" = --refresh ]; then
  source_dir=${2:?usage: .ci/advisory-db.sh --refresh DIR-WITH-A-CLONE-OF-ADVISORY-DB}
  commit=$(git -C "$source_dir" rev-parse HEAD)
  date=$(git -C "$source_dir" show -s --format=%cI HEAD)
  # Sorted, with fixed owners and times: the same database gives the same bytes.
  tar -C "$source_dir" --sort=name --owner=0 --group=0 --numeric-owner --mtime="$date" \
    -cf - crates LICENSE.txt | gzip -9n >"$SNAPSHOT"
  printf 'source: https://github.com/rustsec/advisory-db\ncommit: %s\ndate: %s\n' "$commit" "$date" >"$ABOUT"
  echo "snapshot of $commit ($date) written to $SNAPSHOT"
  exit 0
fi

DBS=${CAIRN_ADVISORY_DBS:?set CAIRN_ADVISORY_DBS to the db-path deny.toml uses}
# cargo-deny keeps each database in a folder named after its URL (the one in deny.toml).
TARGET="$DBS/advisory-db-3157b0e258782691"
date=$(awk '$1 == "date:" { print $2 }' "$ABOUT")
# An old snapshot misses recent advisories: say so after 90 days, refuse after a year.
age_days=$(( ($(date +%s) - $(date -d "$date" +%s)) / 86400 ))
if [ "$age_days" -gt 365 ]; then
  echo "the advisory database snapshot is $age_days days old: refresh it (.ci/advisory-db.sh --refresh)" >&2
  exit 1
elif [ "$age_days" -gt 90 ]; then
  echo "warning: the advisory database snapshot is $age_days days old; refresh it soon (.ci/advisory-db.sh --refresh)" >&2
fi
stamp=$(sha256sum "$SNAPSHOT" | cut -d' ' -f1)
if [ "$(cat "$TARGET/.cairn-snapshot" 2>/dev/null || true)" = "$stamp" ]; then
  exit 0
fi
rm -rf "$TARGET"
mkdir -p "$TARGET"
tar -C "$TARGET" -xzf "$SNAPSHOT"
git -C "$TARGET" init -q
git -C "$TARGET" add -A
GIT_AUTHOR_DATE="$date" GIT_COMMITTER_DATE="$date" \
  git -C "$TARGET" -c user.name=cairn -c user.email=cairn@localhost \
  commit -q -m "RustSec advisory database snapshot ($(awk '$1 == "commit:" { print $2 }' "$ABOUT"))"
echo "$stamp" >"$TARGET/.cairn-snapshot"
echo "advisory database snapshot of $date unpacked to $TARGET"
