#!/bin/sh
# Refetch the joint report's fonts and their licences from Debian bookworm's font packages.
#
# The fonts are committed (assets/fonts/*.ttf); nothing here runs when a report is made. Run this
# only to check or replace them, on a Debian machine with apt:  sh assets/fonts/fetch.sh
# The .deb checksums pin the exact packages, so the same TTFs come out every time; SHA256SUMS is
# rewritten and the test suite checks the committed fonts against it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
licenses="$here/../licenses"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download fonts-noto-core=20201225-1 fonts-dejavu-core=2.37-6)
(cd "$work" && sha256sum -c - <<'SUMS'
58f4f0bb6720f919f92096b3508e1412a0f1544424ade6c5b5bf1eb694dd64ba  fonts-noto-core_20201225-1_all.deb
8892669e51aab4dc56682c8e39d8ddb7d70fad83c369344e1e240bf3ca22bb76  fonts-dejavu-core_2.37-6_all.deb
SUMS
)
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/x"; done
noto="$work/x/usr/share/fonts/truetype/noto"
dejavu="$work/x/usr/share/fonts/truetype/dejavu"
cp "$noto/NotoSans-Regular.ttf" "$noto/NotoSans-Bold.ttf" \
   "$noto/NotoSansArabic-Regular.ttf" "$noto/NotoSansArabic-Bold.ttf" \
   "$dejavu/DejaVuSans.ttf" "$here/"
cp "$work/x/usr/share/doc/fonts-noto-core/copyright" "$licenses/noto-fonts-LICENSE.txt"
cp "$work/x/usr/share/doc/fonts-dejavu-core/copyright" "$licenses/dejavu-fonts-LICENSE.txt"
(cd "$here" && sha256sum ./*.ttf > SHA256SUMS)
(cd "$here" && sha256sum -c SHA256SUMS)
