#!/usr/bin/env bash
# The original /codex:sessions "build" step (../shared/docs/original-slash-command.md), verbatim
# in logic, with ~/.codex replaced by $CODEX_HOME and the registry path by $REGISTRY so it can
# run against a generated corpus. Used by codexd-bench as the baseline; never run on a real home.
set -u
CODEX_HOME="${CODEX_HOME:?set CODEX_HOME}"
REGISTRY="${REGISTRY:?set REGISTRY}"

cat > "$REGISTRY" <<'JSON'
{
  "version": "1.0.0",
  "sessions": []
}
JSON

SESSIONS=$(find "$CODEX_HOME/sessions" -name "rollout-*.jsonl" 2>/dev/null | sort -r | head -50)

for SESSION_FILE in $SESSIONS; do
  BASENAME=$(basename "$SESSION_FILE")
  SESSION_ID=$(echo "$BASENAME" | sed -E 's/rollout-[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}-(.+)\.jsonl/\1/')
  LAST_USED=$(date -r "$SESSION_FILE" -u +"%Y-%m-%dT%H:%M:%SZ" 2>/dev/null || stat -f "%Sm" -t "%Y-%m-%dT%H:%M:%SZ" "$SESSION_FILE" 2>/dev/null)
  TASK_SUMMARY=$(head -20 "$SESSION_FILE" | grep '"type":"user_message"' | head -1 | jq -r '.content // .text' 2>/dev/null | head -c 100)
  if [ -z "$TASK_SUMMARY" ]; then
    TASK_SUMMARY="Codex session"
  fi
  KEYWORDS=$(echo "$TASK_SUMMARY" | tr '[:upper:]' '[:lower:]' | grep -oE '\b[a-z]{4,}\b' | head -5 | jq -R . | jq -s .)
  jq --arg id "$SESSION_ID" \
     --arg task "$TASK_SUMMARY" \
     --argjson kw "$KEYWORDS" \
     --arg ts "$LAST_USED" \
     '.sessions += [{
       "id": $id,
       "task_summary": $task,
       "keywords": $kw,
       "last_used": $ts,
       "status": "active"
     }]' \
     "$REGISTRY" > "$REGISTRY.tmp" && \
     mv "$REGISTRY.tmp" "$REGISTRY"
done

echo "Built routing table with $(jq '.sessions | length' "$REGISTRY") sessions"
