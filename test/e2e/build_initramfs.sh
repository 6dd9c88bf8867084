#!/usr/bin/env bash
# Builds (or reuses from the cache) the end-to-end guest: the Debian bookworm cloud kernel and a
# small initramfs holding busybox, nvme-cli, blkzone and fio plus exactly the shared libraries
# they load (their ELF NEEDED closure) and the guest scripts under test/e2e/guest/.
#
# Everything comes from Debian packages fetched with `apt-get download` and unpacked with
# `dpkg-deb -x` into the cache, so the result never depends on what the host has installed.
# The cache key is the package versions plus the guest scripts, so editing a guest script only
# re-packs the cpio and a fresh machine downloads ~70 MB (about 65 packages) once.
#
# Usage: build_initramfs.sh          prints "kernel=<path>" and "initrd=<path>" on stdout
# Environment: ZNSSIM_E2E_CACHE      cache directory
#              (default ${XDG_CACHE_HOME:-$HOME/.cache}/znssim-e2e)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache="${ZNSSIM_E2E_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/znssim-e2e}"
mkdir -p "$cache/debs" "$cache/pkgs" "$cache/out"

log() { echo "build_initramfs: $*" >&2; }
die() { echo "build_initramfs: error: $*" >&2; exit 1; }

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

# Two e2e tests may run in parallel under `ctest -j`: only one of them builds.
exec 9>"$cache/.lock"
flock 9

command -v readelf >/dev/null || { log "installing binutils (readelf)"; \
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq binutils >/dev/null; }

candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/{print $2; exit}'; }

# One apt query for all root packages (apt is slow on a loaded machine): "pkg=version" lines.
roots=(linux-image-cloud-amd64 busybox-static nvme-cli util-linux fio)
root_versions() {
    apt-cache policy "${roots[@]}" 2>/dev/null | awk '
        /^[^ ].*:$/ { pkg = substr($1, 1, length($1) - 1) }
        /Candidate:/ && $2 != "(none)" { print pkg "=" $2 }'
}
versions="$(root_versions)"
if [ "$(echo "$versions" | grep -c =)" != ${#roots[@]} ]; then
    # apt lists may be missing on a fresh machine (or a slim container): update once.
    log "apt lists incomplete: apt-get update"
    $SUDO apt-get update -qq >/dev/null || die "apt-get update failed"
    versions="$(root_versions)"
    [ "$(echo "$versions" | grep -c =)" = ${#roots[@]} ] \
        || die "no installation candidate for some of: ${roots[*]} (got: $versions)"
fi

key="$( { echo "$versions"; cat "$0" "$here"/guest/*; } | sha256sum | cut -c1-16)"
out="$cache/out/$key"
if [ -s "$out/initrd.cpio" ] && [ -s "$out/vmlinuz" ]; then
    echo "kernel=$out/vmlinuz"
    echo "initrd=$out/initrd.cpio"
    exit 0
fi

kernel_pkg="$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends:/{print $2; exit}')"
[ -n "$kernel_pkg" ] || die "cannot resolve linux-image-cloud-amd64 to a kernel package (apt sources?)"
roots[0]="$kernel_pkg"

# fetch PKG: download the candidate .deb (once) and unpack it into $cache/pkgs/PKG; fails when
# PKG has no installation candidate.
# A root package is re-fetched when apt has a newer candidate; a dependency library already
# unpacked is reused without asking apt (slow on a loaded machine): an older one is harmless.
fetched=()
is_root() { local r; for r in "${roots[@]}"; do [ "$r" = "$1" ] && return 0; done; return 1; }
fetch() {
    local pkg="$1" ver="" deb
    is_root "$pkg" && ver="$(candidate "$pkg")"
    if [ ! -f "$cache/pkgs/$pkg/.depends" ] ||
       { [ -n "$ver" ] && [ "$ver" != "$(cat "$cache/pkgs/$pkg/.version")" ]; } ||
       { [ "$pkg" = "${roots[0]}" ] && [ ! -f "$cache/pkgs/$pkg/.vmlinuz" ]; }; then
        [ -n "$ver" ] || ver="$(candidate "$pkg")"
        # No candidate: a virtual package (e.g. debconf-2.0); the caller decides.
        [ -n "$ver" ] && [ "$ver" != "(none)" ] || return 1
        log "fetching $pkg $ver"
        rm -f "$cache/debs/${pkg}"_*.deb
        (cd "$cache/debs" && apt-get download -qq "$pkg=$ver" >"$cache/apt.log" 2>&1) \
            || { cat "$cache/apt.log" >&2; die "apt-get download $pkg=$ver failed"; }
        deb="$(ls "$cache/debs/${pkg}"_*.deb)"
        rm -rf "$cache/pkgs/$pkg" "$cache/pkgs/$pkg.tmp"
        mkdir -p "$cache/pkgs/$pkg.tmp"
        if [ "$pkg" = "${roots[0]}" ]; then
            # Only the kernel image: the modules are not needed (NVMe and zoned are built in).
            dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$cache/pkgs/$pkg.tmp" --wildcards './boot/vmlinuz-*' \
                || die "no vmlinuz in $deb"
            touch "$cache/pkgs/$pkg.tmp/.vmlinuz"
        else
            dpkg-deb -x "$deb" "$cache/pkgs/$pkg.tmp" || die "dpkg-deb -x $deb failed"
        fi
        { dpkg-deb -f "$deb" Pre-Depends; dpkg-deb -f "$deb" Depends; } | tr ',' '\n' \
            | sed -e 's/|.*//' -e 's/(.*)//' -e 's/:any//' -e 's/[[:space:]]//g' | grep -v '^$' \
            >"$cache/pkgs/$pkg.tmp/.depends" || true
        echo "$ver" >"$cache/pkgs/$pkg.tmp/.version"
        mv "$cache/pkgs/$pkg.tmp" "$cache/pkgs/$pkg"
    fi
    fetched+=("$pkg")
}
is_fetched() { local p; for p in "${fetched[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

# depends PKG: the first alternative of each Depends/Pre-Depends entry, without versions.
depends() { cat "$cache/pkgs/$1/.depends"; }

# in_root PKG PATH: follow symlinks inside an unpacked package (absolute targets stay inside
# the package root); prints the resolved path relative to the root, or fails.
in_root() {
    local root="$cache/pkgs/$1" path="$2" n=0 t
    while [ -L "$root$path" ]; do
        t="$(readlink "$root$path")"
        case "$t" in /*) path="$t" ;; *) path="$(dirname "$path")/$t" ;; esac
        path="$(realpath -m -s "$path")"
        n=$((n + 1)); [ $n -lt 40 ] || return 1
    done
    [ -f "$root$path" ] && echo "$path"
}

libdirs=(/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /lib /usr/lib)

# find_lib SONAME EXTRA_DIRS...: sets found_pkg/found_path to the first unpacked package
# providing it (globals, not output: fetch must run in this shell to record what it fetched).
found_pkg=""
found_path=""
find_lib() {
    local so="$1" p d; shift
    for p in "${fetched[@]}"; do
        for d in "$@" "${libdirs[@]}"; do
            if [ -e "$cache/pkgs/$p$d/$so" ] || [ -L "$cache/pkgs/$p$d/$so" ]; then
                found_pkg="$p"; found_path="$d/$so"; return 0
            fi
        done
    done
    return 1
}

# Debian names a library package after its soname: libfoo.so.1 -> libfoo1, libfoo2.so.0 -> libfoo2-0.
guess_pkg() {
    local base="${1%%.so*}" ver="${1#*.so.}"
    ver="${ver%%.*}"
    case "$base" in *[0-9]) echo "${base,,}-$ver" ;; *) echo "${base,,}$ver" ;; esac
}

# resolve SONAME OWNER_PKG DIRS...: fetch packages until SONAME is found. Tries the guessed
# package, then the owner's library dependencies, then every dependency of everything fetched.
resolve() {
    local so="$1" owner="$2" guess d p; shift 2
    find_lib "$so" "$@" && return 0
    guess="$(guess_pkg "$so")"
    if depends "$owner" | grep -qx "$guess" && ! is_fetched "$guess"; then
        fetch "$guess" && find_lib "$so" "$@" && return 0
    fi
    for d in $(depends "$owner"); do
        case "$d" in lib*|zlib*) ;; *) continue ;; esac
        is_fetched "$d" && continue
        fetch "$d" && find_lib "$so" "$@" && return 0
    done
    for p in "${fetched[@]}"; do
        for d in $(depends "$p"); do
            is_fetched "$d" && continue
            fetch "$d" && find_lib "$so" "$@" && return 0
        done
    done
    die "no package provides $so (needed by a file of $owner)"
}

for p in "${roots[@]}" libc6; do
    is_fetched "$p" || fetch "$p" || die "package $p has no installation candidate"
done

work="$cache/work"
rm -rf "$work"
root="$work/root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib64,dev,proc,sys,tmp,run,etc,e2e,mnt}

# install PKG PATH DEST: copy one file (symlinks resolved) into the initramfs.
install_file() {
    local real
    real="$(in_root "$1" "$2")" || die "$2 not found in package $1"
    mkdir -p "$root$(dirname "$3")"
    cp "$cache/pkgs/$1$real" "$root$3"
}

install_file busybox-static /bin/busybox /bin/busybox
install_file nvme-cli /usr/sbin/nvme /usr/sbin/nvme
install_file fio /usr/bin/fio /usr/bin/fio
install_file util-linux /sbin/blkzone /sbin/blkzone
vmlinuz="$(ls "$cache/pkgs/$kernel_pkg"/boot/vmlinuz-* | head -n1)"
[ -f "$vmlinuz" ] || die "no vmlinuz in $kernel_pkg"

# ELF closure: every NEEDED soname of every installed ELF file, at its packaged path.
queue=("usr/sbin/nvme nvme-cli" "usr/bin/fio fio" "sbin/blkzone util-linux")
declare -A done_so=()
while [ ${#queue[@]} -gt 0 ]; do
    item="${queue[0]}"; queue=("${queue[@]:1}")
    file="${item% *}"; owner="${item##* }"
    interp="$(readelf -l "$root/$file" 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')"
    if [ -n "$interp" ] && [ ! -e "$root$interp" ]; then
        resolve "$(basename "$interp")" "$owner" "$(dirname "$interp")"
        install_file "$found_pkg" "$interp" "$interp"
    fi
    dirs=()
    for rp in $(readelf -d "$root/$file" | sed -n 's/.*(R\(UN\)\{0,1\}PATH).*\[\(.*\)\]/\2/p' | tr ':' ' '); do
        dirs+=("${rp//\$ORIGIN//$(dirname "$file")}")
    done
    for so in $(readelf -d "$root/$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        [ -n "${done_so[$so]:-}" ] && continue
        resolve "$so" "$owner" "${dirs[@]}"
        install_file "$found_pkg" "$found_path" "$found_path"
        done_so[$so]=1
        queue+=("${found_path#/} $found_pkg")
    done
done

cp "$here"/guest/* "$root/e2e/"
mv "$root/e2e/init" "$root/init"
chmod 755 "$root/init" "$root"/e2e/*
mkdir -p "$root/etc/nvme"

mkdir -p "$out.tmp"
# Uncompressed: a TCG guest would spend seconds in gunzip, the cache has the disk space.
(cd "$root" && find . | "$root/bin/busybox" cpio -o -H newc -R 0:0 2>/dev/null) >"$out.tmp/initrd.cpio"
cp "$vmlinuz" "$out.tmp/vmlinuz"
rm -rf "$out"
mv "$out.tmp" "$out"
# Older builds (other package versions or guest scripts) are not needed any more.
find "$cache/out" -mindepth 1 -maxdepth 1 ! -name "$key" -exec rm -rf {} +
rm -rf "$work"
log "built a $(du -h "$out/initrd.cpio" | cut -f1) initramfs in $out"
echo "kernel=$out/vmlinuz"
echo "initrd=$out/initrd.cpio"
