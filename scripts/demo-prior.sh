#!/usr/bin/env bash
# Gives the demo one patient with two studies, so that the workstation opens the newest demo study
# with its prior beside it (docs/workstation.md, "Prior studies"): the newest synthetic study's
# patient (ID, name, birth date, sex) is written into another study of the same synthetic site,
# dated before it. The films stay synthetic; only that study's identity and date change.
# Usage: scripts/demo-prior.sh STUDIES_DIR   (the folder `fedmrg-cli synth --out` wrote)
set -euo pipefail
studies=${1:?"usage: demo-prior.sh STUDIES_DIR"}

tag() { dcmdump -s +P "$1" "$2" 2>/dev/null | sed -n 's/^[^[]*\[\(.*\)\].*/\1/p' | head -1; }

newest="" newestDate=""
for f in "$studies"/site-*/images/*.dcm; do
  d=$(tag StudyDate "$f")
  if [[ "$d" > "$newestDate" ]]; then newest=$f newestDate=$d; fi
done
[ -n "$newest" ] || { echo "demo-prior: no study in $studies" >&2; exit 1; }

sex=$(tag PatientSex "$newest")
other=""
for f in "$(dirname "$newest")"/*.dcm; do  # the same site's films look alike; the same sex if there is one
  [ "$f" = "$newest" ] && continue
  if [ -z "$other" ] || [ "$(tag PatientSex "$f")" = "$sex" ]; then other=$f; fi
done
[ -n "$other" ] || { echo "demo-prior: the newest study's site has no other study" >&2; exit 1; }

date=$(tag StudyDate "$other")
if [[ ! "$date" < "$newestDate" ]]; then
  date=$(date -d "${newestDate:0:4}-${newestDate:4:2}-${newestDate:6:2} -1 year" +%Y%m%d)
fi
dcmodify -nb -imt \
  -m "(0010,0010)=$(tag PatientName "$newest")" -m "(0010,0020)=$(tag PatientID "$newest")" \
  -m "(0010,0030)=$(tag PatientBirthDate "$newest")" -m "(0010,0040)=$sex" -ea "(0010,1010)" \
  -m "(0008,0020)=$date" "$other"
echo "demo-prior: $(basename "$(dirname "$(dirname "$other")")")/$(basename "$other") is now a $date study of $(tag PatientID "$newest")"
