#!/usr/bin/env bash
# Builds (or reuses from the cache) the end-to-end guest: a Debian cloud kernel and a small
# initramfs holding busybox, nvme-cli, blkzone, fio and btrfs-progs plus exactly the shared
# libraries they load (their ELF NEEDED closure), the btrfs kernel modules of that kernel and the
# guest scripts under test/e2e/guest/.
#
# Everything comes from Debian packages fetched with `apt-get download` and unpacked with
# `dpkg-deb -x` into the cache, so the result never depends on what the host has installed.
# The userland is always bookworm's (the host's apt sources). The kernel is bookworm's Linux 6.1
# (linux-image-cloud-amd64 through the host's apt sources) or trixie's Linux 6.12: that one comes
# through a private apt configuration in the cache (its own sources list naming the host's
# Debian mirror with suite trixie, its own lists and state; the host's apt setup is not touched).
# The initramfs is two concatenated cpio archives, the userland (shared by both kernels) and the
# kernel's modules, each cached under a key made of package versions and the scripts, so editing
# a guest script only re-packs the userland and a fresh machine downloads ~75 MB (about 70
# packages) once, plus ~35 MB and a 10 MB package index for the trixie kernel.
#
# Usage: build_initramfs.sh [--kernel bookworm|trixie]   (default bookworm)
#        prints "kernel=<path>", "initrd=<path>" and "release=<uname -r>" on stdout
# Environment: ZNSSIM_E2E_CACHE      cache directory
#              (default ${XDG_CACHE_HOME:-$HOME/.cache}/znssim-e2e)
#              ZNSSIM_E2E_DEBIAN_MIRROR  Debian mirror for the trixie kernel (default: the URI
#              the host's apt sources use for bookworm)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
suite=bookworm
while [ $# -gt 0 ]; do
    case "$1" in
        --kernel) suite="$2"; shift 2 ;;
        *) echo "build_initramfs: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
case "$suite" in bookworm|trixie) ;; *) echo "build_initramfs: --kernel bookworm|trixie" >&2; exit 2 ;; esac
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

# --- apt for the kernel's suite ---------------------------------------------------------------
# kapt CMD ARGS...: apt-get/apt-cache for the kernel's suite. bookworm: the host's configuration.
# trixie: a private configuration under $cache/apt-trixie (sources list, lists, state and
# archive cache of its own), so the host's apt sources and lists stay as they are.
tdir="$cache/apt-$suite"
kapt_opts=()
if [ "$suite" != bookworm ]; then
    kapt_opts=(-o "Dir::Etc::SourceList=$tdir/sources.list" -o "Dir::Etc::SourceParts=$tdir/sources.list.d"
               -o "Dir::Etc::Preferences=$tdir/preferences" -o "Dir::Etc::PreferencesParts=$tdir/preferences.d"
               -o "Dir::State=$tdir/state" -o "Dir::State::status=$tdir/state/status"
               -o "Dir::Cache=$tdir/cache" -o "Acquire::Languages=none" -o "Debug::NoLocking=1"
               -o "APT::Sandbox::User=root")
fi
kapt() { local cmd="$1"; shift; "$cmd" "${kapt_opts[@]}" "$@"; }

# debian_mirror: the URI the host's apt sources use for the bookworm suite (one-line .list and
# deb822 .sources files), or $ZNSSIM_E2E_DEBIAN_MIRROR.
debian_mirror() {
    if [ -n "${ZNSSIM_E2E_DEBIAN_MIRROR:-}" ]; then echo "${ZNSSIM_E2E_DEBIAN_MIRROR%/}"; return; fi
    local f
    {
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
            [ -f "$f" ] || continue
            awk '$1 == "deb" { i = 2
                    if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
                    if ($(i + 1) == "bookworm") print $i }' "$f"
        done
        for f in /etc/apt/sources.list.d/*.sources; do
            [ -f "$f" ] || continue
            awk 'BEGIN { RS = ""; FS = "\n" }
                 { uri = ""; deb = 0; ok = 0; on = 1
                   for (j = 1; j <= NF; j++) {
                       n = split($j, w, /[ \t]+/)
                       if (w[1] == "Types:") for (k = 2; k <= n; k++) if (w[k] == "deb") deb = 1
                       if (w[1] == "URIs:") uri = w[2]
                       if (w[1] == "Suites:") for (k = 2; k <= n; k++) if (w[k] == "bookworm") ok = 1
                       if (w[1] == "Enabled:" && w[2] == "no") on = 0
                   }
                   if (deb && ok && on && uri != "") print uri }' "$f"
        done
    } | awk 'NR == 1 { sub(/\/+$/, ""); print }'   # reads all: no SIGPIPE under pipefail
}

# kapt_update: (re)write the private sources list and fetch the suite's package lists.
kapt_update() {
    local mirror keyring=/usr/share/keyrings/debian-archive-keyring.gpg opt=""
    mirror="$(debian_mirror)"
    [ -n "$mirror" ] || die "no Debian mirror for bookworm in /etc/apt/sources.list*; set ZNSSIM_E2E_DEBIAN_MIRROR"
    [ -f "$keyring" ] && opt="[signed-by=$keyring] "
    mkdir -p "$tdir/sources.list.d" "$tdir/preferences.d" "$tdir/state/lists/partial" \
        "$tdir/cache/archives/partial"
    : >"$tdir/preferences"
    [ -f "$tdir/state/status" ] || : >"$tdir/state/status"
    echo "deb $opt$mirror $suite main" >"$tdir/sources.list"
    log "apt-get update of the private $suite lists ($mirror)"
    kapt apt-get update -qq >"$tdir/update.log" 2>&1 || return 1
    touch "$tdir/updated.stamp"
}

# The private lists are refreshed once a week (a new kernel then changes the cache key).
if [ "$suite" != bookworm ]; then
    if [ ! -f "$tdir/updated.stamp" ] || [ -n "$(find "$tdir/updated.stamp" -mtime +6)" ]; then
        if ! kapt_update; then
            [ -f "$tdir/updated.stamp" ] || die "apt-get update for $suite failed (see $tdir/update.log)"
            log "warning: apt-get update for $suite failed, using the old lists (see $tdir/update.log)"
        fi
    fi
fi

# first_field PATTERN: field 2 of the first line matching PATTERN (reading all its input).
first_field() { awk -v re="$1" '$0 ~ re && !done { print $2; done = 1 }'; }
kernel_candidate() { kapt apt-cache policy linux-image-cloud-amd64 2>/dev/null | first_field 'Candidate: [^(]'; }

# One apt query for all userland root packages and, for bookworm, the kernel metapackage (apt is
# slow on a loaded machine): "pkg=version" lines.
roots=(busybox-static nvme-cli util-linux fio btrfs-progs)
query=("${roots[@]}")
[ "$suite" = bookworm ] && query+=(linux-image-cloud-amd64)
root_versions() {
    apt-cache policy "${query[@]}" 2>/dev/null | awk '
        /^[^ ].*:$/ { pkg = substr($1, 1, length($1) - 1) }
        /Candidate:/ && $2 != "(none)" { print pkg "=" $2 }'
}
versions="$(root_versions)"
if [ "$(echo "$versions" | grep -c =)" != ${#query[@]} ]; then
    # apt lists may be missing on a fresh machine (or a slim container): update once.
    log "apt lists incomplete: apt-get update"
    $SUDO apt-get update -qq >/dev/null || die "apt-get update failed"
    versions="$(root_versions)"
    [ "$(echo "$versions" | grep -c =)" = ${#query[@]} ] \
        || die "no installation candidate for some of: ${query[*]} (got: $versions)"
fi
if [ "$suite" = bookworm ]; then
    kversion="$(echo "$versions" | sed -n 's/^linux-image-cloud-amd64=//p')"
    versions="$(echo "$versions" | grep -v '^linux-image-cloud-amd64=')"
else
    kversion="$(kernel_candidate)"
fi
[ -n "$kversion" ] || die "no linux-image-cloud-amd64 in $suite (apt sources?)"

# Keys: the userland (bookworm packages + guest scripts) and the kernel part (suite, kernel
# version); the output for this kernel is their combination.
ukey="$( { echo "$versions"; cat "$0" "$here"/guest/*; } | sha256sum | cut -c1-16)"
kkey="$( { echo "$suite linux-image-cloud-amd64=$kversion"; cat "$0"; } | sha256sum | cut -c1-16)"
out="$cache/out/$suite-$(echo "$ukey $kkey" | sha256sum | cut -c1-16)"
ucpio="$cache/out/userland-$ukey.cpio"
if [ -s "$out/initrd.cpio" ] && [ -s "$out/vmlinuz" ] && [ -s "$out/release" ]; then
    touch "$out"
    echo "kernel=$out/vmlinuz"
    echo "initrd=$out/initrd.cpio"
    echo "release=$(cat "$out/release")"
    exit 0
fi

# prune PATTERN: keep the three most recently used cache outputs matching PATTERN (another work
# tree sharing the cache may use other guest scripts, another suite has its own outputs).
# shellcheck disable=SC2086,SC2012 # $1 is a glob; cache paths have no newlines
prune() { ls -1dt "$cache"/out/$1 2>/dev/null | tail -n +4 | while read -r o; do rm -rf "$o"; done; }

fetched=()
is_fetched() { local p; for p in "${fetched[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

# needs_download PKG: not unpacked yet, or a root package whose candidate is newer. Other
# unpacked libraries are reused without asking apt (slow on a loaded machine): an older
# dependency library is harmless.
needs_download() {
    local want=""
    [ -f "$cache/pkgs/$1/.depends" ] || return 0
    want="$(echo "$versions" | sed -n "s/^$1=//p")"
    [ -n "$want" ] && [ "$want" != "$(cat "$cache/pkgs/$1/.version")" ]
}

# unpack PKG: $cache/debs/PKG_*.deb into $cache/pkgs/PKG, with its version and dependencies.
unpack() {
    local pkg="$1" deb tmp="$cache/pkgs/$1.tmp"
    deb="$(ls "$cache/debs/${pkg}"_*.deb)"
    rm -rf "$cache/pkgs/$pkg" "$tmp"
    mkdir -p "$tmp"
    dpkg-deb -x "$deb" "$tmp" || die "dpkg-deb -x $deb failed"
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

# The busybox binary also serves the build: cpio and unxz, whatever the host has.
fetch busybox-static || die "cannot download busybox-static (see $cache/apt.log)"
bb="$cache/pkgs/busybox-static/bin/busybox"

# --- userland cpio (bookworm; shared by both kernels) -----------------------------------------
build_userland() {
    fetch "${roots[@]}" libc6 || die "cannot download some of: ${roots[*]} libc6 (see $cache/apt.log)"
    local work="$cache/work" root
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
    install_file btrfs-progs /bin/btrfs /sbin/btrfs
    install_file btrfs-progs /sbin/mkfs.btrfs /sbin/mkfs.btrfs

    # ELF closure: every NEEDED soname of every installed ELF file, at its packaged path.
    local queue=("usr/sbin/nvme nvme-cli" "usr/bin/fio fio" "sbin/blkzone util-linux"
                 "sbin/btrfs btrfs-progs" "sbin/mkfs.btrfs btrfs-progs")
    local item file owner interp rp so dirs
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
    # Uncompressed: a TCG guest would spend seconds in gunzip, the cache has the disk space.
    (cd "$root" && find . | "$bb" cpio -o -H newc -R 0:0 2>/dev/null) >"$ucpio.tmp"
    mv "$ucpio.tmp" "$ucpio"
    rm -rf "$work"
    log "packed a $(du -h "$ucpio" | cut -f1) userland cpio"
}

# --- kernel: vmlinuz and the btrfs modules of linux-image-cloud-amd64 from $suite ---------------
# download_kernel PKG: apt-get download through kapt into $cache/debs.
download_kernel() {
    if ! (cd "$cache/debs" && kapt apt-get download -qq "$1" >"$cache/apt.log" 2>&1); then
        # The lists may name a version the mirror has dropped since: refresh them once.
        if [ "$suite" != bookworm ]; then kapt_update || true; fi
        (cd "$cache/debs" && kapt apt-get download -qq "$1" >>"$cache/apt.log" 2>&1) \
            || die "cannot download $1 (see $cache/apt.log)"
    fi
}

# fetch_kernel PKG VERSION: download and unpack the kernel image (vmlinuz plus the module directories
# the btrfs closure can come from) into $cache/pkgs/PKG, unless that version is there already.
fetch_kernel() {
    local pkg="$1" want="$2" deb tmp="$cache/pkgs/$1.tmp"
    if [ -f "$cache/pkgs/$pkg/.version" ] && [ -f "$cache/pkgs/$pkg/.kmods" ] &&
       [ "$(cat "$cache/pkgs/$pkg/.version")" = "$want" ]; then
        return 0
    fi
    deb="$(ls "$cache/debs/${pkg}"_*.deb 2>/dev/null | head -n1 || true)"
    if [ -n "$deb" ] && [ "$(dpkg-deb -f "$deb" Version)" = "$want" ]; then
        log "unpacking $pkg ($suite)"
    else
        log "fetching $pkg ($suite)"
        rm -f "$cache/debs/${pkg}"_*.deb
        download_kernel "$pkg"
    fi
    deb="$(ls "$cache/debs/${pkg}"_*.deb)"
    rm -rf "$cache/pkgs/$pkg" "$tmp"
    mkdir -p "$tmp"
    # NVMe and zoned block devices are built in; btrfs and what it needs are modules.
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*' \
        '*/modules/*/kernel/fs/btrfs/*' '*/modules/*/kernel/lib/*' '*/modules/*/kernel/crypto/*' \
        '*/modules/*/kernel/arch/*' || die "no vmlinuz or modules in $deb"
    touch "$tmp/.kmods"
    dpkg-deb -f "$deb" Version >"$tmp/.version"
    mv "$tmp" "$cache/pkgs/$pkg"
}

# build_kernel_part DIR: vmlinuz, release and modules.cpio for the kernel of $suite in DIR. The
# modules are the btrfs module and its "depends=" closure, decompressed (busybox insmod loads
# plain .ko files), with /lib/modules/RELEASE/e2e-modules listing them in load order.
build_kernel_part() {
    local dir="$1" kpkg vmlinuz release mroot="$cache/work-kmods" order=()
    kpkg="$(kapt apt-cache depends linux-image-cloud-amd64 2>/dev/null | first_field 'Depends:')"
    [ -n "$kpkg" ] || die "cannot resolve linux-image-cloud-amd64 ($suite) to a kernel package"
    fetch_kernel "$kpkg" "$(kapt apt-cache policy "$kpkg" 2>/dev/null | first_field 'Candidate:')"
    vmlinuz="$(ls "$cache/pkgs/$kpkg"/boot/vmlinuz-* | head -n1)"
    [ -f "$vmlinuz" ] || die "no vmlinuz in $kpkg"
    release="${vmlinuz##*/vmlinuz-}"
    local mdir
    mdir="$cache/pkgs/$kpkg/lib/modules/$release"
    [ -d "$mdir" ] || mdir="$cache/pkgs/$kpkg/usr/lib/modules/$release"
    [ -d "$mdir" ] || die "no modules directory for $release in $kpkg"
    rm -rf "$mroot"
    mkdir -p "$mroot/lib/modules/$release"
    # modfile NAME: the module file for a module name ('-' and '_' are the same in names).
    modfile() {
        find "$mdir/kernel" -name '*.ko*' | awk -v n="$1" '{ b = $0; sub(/.*\//, "", b); sub(/\.ko(\.xz|\.zst|\.gz)?$/, "", b)
            gsub(/-/, "_", b); if (b == n && f == "") f = $0 } END { print f }'
    }
    # add NAME: depth first, dependencies before the module.
    add() {
        local name="$1" f dst d
        for d in "${order[@]}"; do [ "$d" = "$name.ko" ] && return 0; done
        f="$(modfile "$name")"
        [ -n "$f" ] || die "module $name (btrfs closure) not found in $kpkg"
        dst="$mroot/lib/modules/$release/$name.ko"
        case "$f" in
            *.xz) "$bb" unxz -c "$f" >"$dst" ;;
            *.gz) "$bb" zcat "$f" >"$dst" ;;
            *.zst) zstd -q -d -c "$f" >"$dst" ;;
            *) cp "$f" "$dst" ;;
        esac
        for d in $(tr '\0' '\n' <"$dst" | sed -n 's/^depends=//p' | tr ',' ' '); do add "${d//-/_}"; done
        order+=("$name.ko")
    }
    add btrfs
    printf '%s\n' "${order[@]}" >"$mroot/lib/modules/$release/e2e-modules"
    mkdir -p "$dir"
    (cd "$mroot" && find . | "$bb" cpio -o -H newc -R 0:0 2>/dev/null) >"$dir/modules.cpio"
    cp "$vmlinuz" "$dir/vmlinuz"
    echo "$release" >"$dir/release"
    rm -rf "$mroot"
    log "kernel $release ($suite), modules: ${order[*]}"
}

[ -s "$ucpio" ] || build_userland
rm -rf "$out.tmp"
build_kernel_part "$out.tmp"
cat "$ucpio" "$out.tmp/modules.cpio" >"$out.tmp/initrd.cpio"
rm -f "$out.tmp/modules.cpio"
rm -rf "$out"
mv "$out.tmp" "$out"
touch "$ucpio"
prune "$suite-*"
prune "userland-*.cpio"
log "built a $(du -h "$out/initrd.cpio" | cut -f1) initramfs in $out"
echo "kernel=$out/vmlinuz"
echo "initrd=$out/initrd.cpio"
echo "release=$(cat "$out/release")"
