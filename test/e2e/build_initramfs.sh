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

fetched=()
is_fetched() { local p; for p in "${fetched[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

# needs_download PKG: not unpacked yet, or a root package whose candidate is newer. Other
# unpacked libraries are reused without asking apt (slow on a loaded machine): an older
# dependency library is harmless.
needs_download() {
    local want=""
    [ -f "$cache/pkgs/$1/.depends" ] || return 0
    if [ "$1" = "${roots[0]}" ]; then
        [ -f "$cache/pkgs/$1/.vmlinuz" ] || return 0
        want="$(candidate "$1")"
    else
        want="$(echo "$versions" | sed -n "s/^$1=//p")"
    fi
    [ -n "$want" ] && [ "$want" != "$(cat "$cache/pkgs/$1/.version")" ]
}

# unpack PKG: $cache/debs/PKG_*.deb into $cache/pkgs/PKG, with its version and dependencies.
unpack() {
    local pkg="$1" deb tmp="$cache/pkgs/$1.tmp"
    deb="$(ls "$cache/debs/${pkg}"_*.deb)"
    rm -rf "$cache/pkgs/$pkg" "$tmp"
    mkdir -p "$tmp"
    if [ "$pkg" = "${roots[0]}" ]; then
        # Only the kernel image: the modules are not needed (NVMe and zoned are built in).
        dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*' \
            || die "no vmlinuz in $deb"
        touch "$tmp/.vmlinuz"
    else
        dpkg-deb -x "$deb" "$tmp" || die "dpkg-deb -x $deb failed"
    fi
    { dpkg-deb -f "$deb" Pre-Depends; dpkg-deb -f "$deb" Depends; } | tr ',' '\n' \
        | sed -e 's/|.*//' -e 's/(.*)//' -e 's/:any//' -e 's/[[:space:]]//g' | grep -v '^$' \
        >"$tmp/.depends" || true
    dpkg-deb -f "$deb" Version >"$tmp/.version"
    mv "$tmp" "$cache/pkgs/$pkg"
}

# fetch PKG...: make sure the packages are unpacked in the cache. Missing ones are downloaded
# with one apt-get call (each apt call costs seconds on a loaded machine), falling back to one
# call per package so that a virtual package (e.g. debconf-2.0) does not sink the others.
# Fails when some package could not be downloaded.
fetch() {
    local p todo=() rc=0
    for p in "$@"; do
        is_fetched "$p" && continue
        if needs_download "$p"; then todo+=("$p"); else fetched+=("$p"); fi
    done
    [ ${#todo[@]} -gt 0 ] || return 0
    log "fetching ${todo[*]}"
    for p in "${todo[@]}"; do rm -f "$cache/debs/${p}"_*.deb; done
    if ! (cd "$cache/debs" && apt-get download -qq "${todo[@]}" >"$cache/apt.log" 2>&1); then
        for p in "${todo[@]}"; do
            (cd "$cache/debs" && apt-get download -qq "$p" >>"$cache/apt.log" 2>&1) || true
        done
    fi
    for p in "${todo[@]}"; do
        if ls "$cache/debs/${p}"_*.deb >/dev/null 2>&1; then unpack "$p"; fetched+=("$p"); else rc=1; fi
    done
    return $rc
}

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

# lib_deps PKG...: the not yet fetched library packages among the dependencies of PKG...
lib_deps() {
    local p d
    for p in "$@"; do
        for d in $(depends "$p"); do
            case "$d" in lib*|zlib*) is_fetched "$d" || echo "$d" ;; esac
        done
    done | sort -u
}

# resolve SONAME OWNER_PKG DIRS...: fetch packages until SONAME is found: first all library
# dependencies of the package that needs it (Debian's shlibs put exactly the providers of its
# NEEDED sonames there, so this is one apt call per package), then those of everything fetched.
resolve() {
    local so="$1" owner="$2"; shift 2
    find_lib "$so" "$@" && return 0
    # shellcheck disable=SC2046 # package names have no spaces
    fetch $(lib_deps "$owner") || true
    find_lib "$so" "$@" && return 0
    # shellcheck disable=SC2046
    fetch $(lib_deps "${fetched[@]}") || true
    find_lib "$so" "$@" && return 0
    die "no package provides $so (needed by a file of $owner)"
}

fetch "${roots[@]}" libc6 || die "cannot download some of: ${roots[*]} libc6 (see $cache/apt.log)"

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
