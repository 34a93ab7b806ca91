#!/usr/bin/env bash
# Builds retort as Debian would (Release, `dpkg-buildflags` CFLAGS/CXXFLAGS/CPPFLAGS/LDFLAGS,
# libpg_query and the C++ runtime linked in, no tests), packs the .deb with cpack and checks it
# the way a clean Debian 12 machine would see it, without a container: unpacked with dpkg -x
# into a temp dir, every library its binary needs resolves here and none is one it should carry
# inside (libpg_query, toml++, fmt, libstdc++), Depends names libpq5 but none of those, the
# binary is stripped and prints its version and commit, and the completions and man pages it
# wrote at build time are in place.
#
#   scripts/package.sh [gcc|clang] [BUILD_DIR]     (default: gcc, build-release)
# RETORT_WERROR=ON makes warnings errors (scripts/test.sh). The package: BUILD_DIR/retort_*.deb.
set -euo pipefail
cd "$(dirname "$0")/.."
compiler=${1:-gcc}
build_dir=${2:-build-release}
die() {
  echo "package: $*" >&2
  exit 1
}
case $compiler in
  gcc) compilers=(-DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++) ;;
  clang) compilers=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++) ;;
  *) die "unknown compiler '$compiler' (gcc or clang)" ;;
esac
# A compiler named again on a configured tree (even the same one by another name) makes CMake
# empty its cache and rebuild everything: it is chosen once, when the tree is new.
if [[ -f $build_dir/CMakeCache.txt ]]; then compilers=(); fi

# cmake/build_commit.cmake outside a git checkout (a release tarball) names no commit.
tarball=$(mktemp -d)
cmake -DSOURCE_DIR="$tarball" -DOUTPUT="$tarball/commit.cc" -DGIT="$(command -v git)" \
  -P cmake/build_commit.cmake
grep -q 'kBuildCommit = "";' "$tarball/commit.cc" || die "a tree without .git got a commit"
rm -rf "$tarball"

cppflags=$(dpkg-buildflags --get CPPFLAGS)
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "${compilers[@]}" \
  -DCMAKE_C_FLAGS="$cppflags $(dpkg-buildflags --get CFLAGS)" \
  -DCMAKE_CXX_FLAGS="$cppflags $(dpkg-buildflags --get CXXFLAGS)" \
  -DCMAKE_EXE_LINKER_FLAGS="$(dpkg-buildflags --get LDFLAGS)" \
  -DRETORT_BUILD_TESTS=OFF -DRETORT_STATIC_DEPS=ON -DRETORT_SHELL_EXTRAS=ON \
  -DRETORT_WERROR="${RETORT_WERROR:-OFF}" \
  >/dev/null
cmake --build "$build_dir"
rm -f "$build_dir"/retort_*.deb
(cd "$build_dir" && cpack -G DEB >/dev/null)
debs=("$build_dir"/retort_*.deb)
[[ -f ${debs[0]} ]] || die "cpack wrote no retort_*.deb in $build_dir"
deb=${debs[0]}

# What apt-get install would pull in.
depends=$(dpkg-deb -f "$deb" Depends)
echo "package: $(basename "$deb"): Depends: $depends"
[[ $depends == *libpq5* ]] || die "Depends lacks libpq5"
if grep -Eq 'pg-query|tomlplusplus|libfmt|libstdc\+\+|libgcc-s' <<<"$depends"; then
  die "Depends names a library the binary should carry inside: $depends"
fi

apt-get install --simulate "./$deb" >/dev/null || die "apt-get cannot install $deb"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"
binary=$root/usr/bin/retort
[[ -x $binary ]] || die "no usr/bin/retort in the package"
ldd_out=$(ldd "$binary")
if grep -q 'not found' <<<"$ldd_out"; then
  die "libraries not found: $(grep 'not found' <<<"$ldd_out")"
fi
if grep -Eq 'pg_query|toml|libfmt|libstdc\+\+|libgcc_s' <<<"$ldd_out"; then
  die "the binary links a library it should carry inside: $ldd_out"
fi
if readelf -S "$binary" | grep -q '\.debug_info\|\.symtab'; then die "usr/bin/retort is not stripped"; fi
version=$("$binary" --version)
[[ $version =~ ^retort\ [0-9]+\.[0-9]+\.[0-9]+\ \((commit\ [0-9a-f]{7,}(-dirty)?|unknown\ commit)\)$ ]] ||
  die "unexpected --version output: '$version'"
for file in usr/share/retort/sqlalchemy_schema.py usr/share/doc/retort/README.md; do
  [[ -f $root/$file ]] || die "no $file in the package"
done
for file in usr/share/bash-completion/completions/retort usr/share/zsh/vendor-completions/_retort \
  usr/share/fish/vendor_completions.d/retort.fish usr/share/man/man1/retort.1 \
  usr/share/man/man5/retort.toml.5; do
  [[ -s $root/$file ]] || die "no $file in the package"
done
# What each shell would load (tests/integration/cli_test.cc runs the scripts themselves).
bash -n "$root/usr/share/bash-completion/completions/retort" || die "the bash completion does not parse"
zsh -n "$root/usr/share/zsh/vendor-completions/_retort" || die "the zsh completion does not parse"
fish --no-execute "$root/usr/share/fish/vendor_completions.d/retort.fish" ||
  die "the fish completion does not parse"
echo "package: $(find "$root/usr/share/man" -type f | wc -l) man pages"
echo "package: $version, $(stat -c %s "$binary") bytes stripped, needs: $(ldd "$binary" |
  awk '/=>/ {print $1}' | sed 's/\.so.*//' | sort | tr '\n' ' ')"
