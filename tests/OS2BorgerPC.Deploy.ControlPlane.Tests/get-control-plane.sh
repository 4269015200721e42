#!/usr/bin/env bash
# Makes the Kubernetes control plane this test project starts available on this machine (docs/TESTING.md,
# "Making the control plane available"):
#   - kube-apiserver and kube-controller-manager: the official Kubernetes release binaries (linux, amd64 or
#     arm64) from dl.k8s.io, each checked against the SHA-256 published beside it, installed into
#     ${OS2BORGERPC_CONTROL_PLANE_DIR:-~/.cache/os2borgerpc/control-plane}, where the tests look for them;
#   - etcd, looked for in that folder and on PATH as the tests do; where it is missing, installed from Debian
#     (etcd-server, 3.4) when this runs as root with apt-get, otherwise named with what to install.
# Nothing already present is fetched again; each program found is named with its --version.
#   --check   install nothing: name each missing program on its own line, exit 1 when one is missing.
# Needs curl and sha256sum to download.
set -euo pipefail

# The last Kubernetes 1.26 release (kubernetes/kubernetes CHANGELOG/CHANGELOG-1.26.md).
version=v1.26.15
folder=${OS2BORGERPC_CONTROL_PLANE_DIR:-$HOME/.cache/os2borgerpc/control-plane}
binaries=(kube-apiserver kube-controller-manager)

usage() { echo "usage: bash $0 [--check]" >&2; exit 2; }
check=false
case $# in
    0) ;;
    1) [ "$1" = --check ] || usage; check=true ;;
    *) usage ;;
esac

# etcd as the tests find it: in the folder, else the first on PATH.
etcd_path() {
    if [ -x "$folder/etcd" ]; then
        echo "$folder/etcd"
    else
        command -v etcd
    fi
}

# A program found: its path and the first line of its --version.
found() {
    local line
    line=$("$1" --version 2>&1 | { read -r first || true; echo "$first"; }) || true
    echo "found $1 (${line:-no --version output})"
}

missing=()
for name in "${binaries[@]}"; do
    [ -x "$folder/$name" ] || missing+=("$name")
done
etcd=$(etcd_path) || etcd=

if $check; then
    for name in "${missing[@]}"; do echo "$name ($version, into $folder)"; done
    [ -n "$etcd" ] || echo "etcd (in $folder or on PATH; Debian: apt-get install etcd-server)"
    [ ${#missing[@]} -eq 0 ] && [ -n "$etcd" ]
    exit
fi

for name in "${binaries[@]}"; do
    if [ -x "$folder/$name" ]; then found "$folder/$name"; fi
done
[ -z "$etcd" ] || found "$etcd"

if [ ${#missing[@]} -gt 0 ]; then
    case $(uname -m) in
        x86_64 | amd64) arch=amd64 ;;
        aarch64 | arm64) arch=arm64 ;;
        *) echo "get-control-plane: no release binaries for $(uname -m) here: put ${missing[*]} ($version) into $folder yourself." >&2; exit 1 ;;
    esac
    for tool in curl sha256sum; do
        command -v "$tool" >/dev/null 2>&1 || { echo "get-control-plane: $tool is needed to download ${missing[*]}: install it (Debian: apt-get install curl coreutils)." >&2; exit 1; }
    done
    mkdir -p "$folder"
    # Downloads go to a folder of their own beside the target, so only a verified program is ever moved in.
    download=$(mktemp -d "$folder/.download.XXXXXX")
    trap 'rm -rf "$download"' EXIT
    for name in "${missing[@]}"; do
        url=https://dl.k8s.io/release/$version/bin/linux/$arch/$name
        echo "get-control-plane: downloading $url"
        curl -fsSL --retry 3 -o "$download/$name" "$url"
        curl -fsSL --retry 3 -o "$download/$name.sha256" "$url.sha256"
        # The published .sha256 file holds the bare digest.
        read -r digest _ <"$download/$name.sha256" || true
        if [[ ! ${digest:-} =~ ^[0-9a-f]{64}$ ]]; then
            echo "get-control-plane: $url.sha256 holds no SHA-256 digest; nothing installed." >&2
            exit 1
        fi
        if ! echo "$digest  $download/$name" | sha256sum --check --status; then
            echo "get-control-plane: $name does not match the checksum published at $url.sha256; nothing installed." >&2
            exit 1
        fi
        chmod 755 "$download/$name"
        mv "$download/$name" "$folder/$name"
        found "$folder/$name"
    done
fi

if [ -z "$etcd" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "get-control-plane: installing etcd (Debian etcd-server)"
        apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y etcd-server </dev/null
        # The tests start their own etcd: the package's service is not left running.
        if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
            systemctl disable --now etcd >/dev/null 2>&1 || true
        fi
        etcd=$(etcd_path) || { echo "get-control-plane: etcd is still missing after installing etcd-server." >&2; exit 1; }
        found "$etcd"
    else
        echo "get-control-plane: etcd is missing: install etcd 3.4 or later (Debian: apt-get install etcd-server, as root) or put its etcd binary into $folder." >&2
        exit 1
    fi
fi
echo "get-control-plane: the control plane is ready in $folder (etcd: $etcd)."
