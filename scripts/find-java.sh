# Sourced by ./airworthy and the benchmarks: sets java_bin to a JDK 21+ (JAVA_HOME, PATH,
# /usr/lib/jvm, SDKMAN, ~/.jdks), or returns 1.

# The major version of a java binary, read from its release file when there is one.
java_major() {
  local bin="$1" home version
  home="$(dirname "$(dirname "$(readlink -f "$bin")")")"
  if [[ -f "$home/release" ]]; then
    version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")"
  else
    version="$("$bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  fi
  version="${version#1.}"
  echo "${version%%[.+-]*}"
}

find_java() {
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  local dir
  for dir in /usr/lib/jvm/*/ /opt/java/*/ "$HOME"/.sdkman/candidates/java/*/ "$HOME"/.jdks/*/; do
    [[ -x "$dir/bin/java" ]] && candidates+=("$dir/bin/java")
  done
  local bin major
  for bin in "${candidates[@]}"; do
    [[ -x "$bin" ]] || continue
    major="$(java_major "$bin" 2>/dev/null || true)"
    if [[ "$major" =~ ^[0-9]+$ ]] && (( major >= 21 )); then
      java_bin="$bin"
      return 0
    fi
  done
  return 1
}
