#!/usr/bin/env bash
# The shell of .github/workflows/plan.yml, in one place; both jobs call it, from the repository root,
# after `npm ci` (and `npm run synth` for stacks, plan and apply). docs/plan-review.md describes them.
#
#   scripts/workflow.sh diff BASE [--allow-destroy]   compare with commit BASE (npm run diff) into diff.md, the record of processing's change into record.md; exit 1: dangerous
#   scripts/workflow.sh stacks                        the stacks CI plans (S3 state), in dependency order
#   scripts/workflow.sh plan                          plans/STACK.json for each of them (read-only plan roles, no lock)
#   scripts/workflow.sh review [--allow-destroy]      plan-review of plans/*.json into review.md; exit as plan-review
#   scripts/workflow.sh apply [--allow-destroy]       per stack in order: plan, review, apply (deployment role)
set -euo pipefail

summary() {
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$1" >> "$GITHUB_STEP_SUMMARY"; fi
}

# Makes a commit available in a shallow clone (actions/checkout fetches one commit).
fetch_commit() {
  git cat-file -e "$1^{commit}" 2>/dev/null && return 0
  git fetch --no-tags --quiet --depth=1 origin "$1" || { echo "::error::cannot fetch commit $1 from origin"; return 2; }
}

cmd_diff() {
  local base="${1:?usage: scripts/workflow.sh diff BASE [--allow-destroy]}"
  shift
  if [ -z "${base//0/}" ]; then
    # a push that created the branch has no commit before it
    echo "::notice::no earlier commit to compare with; the diff is skipped"
    return 0
  fi
  local code=0
  fetch_commit "$base" || return 2
  npm run --silent diff -- --base "$base" --markdown diff.md --record record.md "$@" || code=$?
  [ -f diff.md ] && summary diff.md
  [ -f record.md ] && summary record.md
  case "$code" in
    0) ;;
    1) echo "::error::a stack disappears or a protected resource would be deleted or replaced; see the diff (docs/plan-review.md)" ;;
    *) echo "::error::the diff could not be made (exit $code); see the output above" ;;
  esac
  return "$code"
}

cmd_stacks() {
  # bootstrap keeps its state on the operator's machine (docs/plan-review.md); CI plans the rest
  local order planned="" stack
  order=$(npx tsx -e "import('./scripts/stack-graph').then((m) => console.log(m.readManifest('cdktf.out').map((s) => s.id).join(' ')))")
  for stack in $order; do
    if jq -e '.terraform.backend.local' "cdktf.out/stacks/$stack/cdk.tf.json" > /dev/null; then
      echo "::notice::$stack keeps local state; it is not planned or applied here" >&2
    else
      planned="$planned $stack"
    fi
  done
  if [ -z "$planned" ]; then
    echo "::error::no stack uses the S3 backend: set state.backend: s3 in ${LZ_CONFIG:-the config} so CI can read the state" >&2
    return 1
  fi
  echo "${planned# }"
}

cmd_plan() {
  local stacks stack dir
  stacks=$(cmd_stacks)
  mkdir -p plans
  for stack in $stacks; do
    echo "::group::$stack"
    dir="cdktf.out/stacks/$stack"
    # The plan roles read configuration and the state, no data and no lock (docs/first-deploy.md):
    # a plan writes nothing, so it takes no lock; a stack that needs more fails and is reported failed.
    if terraform -chdir="$dir" init -input=false -no-color \
      && terraform -chdir="$dir" plan -input=false -no-color -lock=false -out=plan.tfplan; then
      terraform -chdir="$dir" show -json plan.tfplan > "plans/$stack.json"
    else
      # plan-review reports this stack as failed (exit 2); the error is in this group
      echo '{"format_version":"1.2","errored":true}' > "plans/$stack.json"
      echo "::error::terraform plan failed for $stack"
    fi
    echo "::endgroup::"
  done
}

cmd_review() {
  local code=0
  npm run --silent plan-review -- "$@" plans/*.json > review.md || code=$?
  summary review.md
  return "$code"
}

cmd_apply() {
  local stacks stack dir code
  stacks=$(cmd_stacks)
  mkdir -p plans
  for stack in $stacks; do
    dir="cdktf.out/stacks/$stack"
    echo "::group::$stack"
    terraform -chdir="$dir" init -input=false -no-color
    terraform -chdir="$dir" plan -input=false -no-color -out=plan.tfplan
    terraform -chdir="$dir" show -json plan.tfplan > "plans/$stack.json"
    # later stacks read earlier stacks' outputs, so each is reviewed right before its apply
    code=0
    npm run --silent plan-review -- "$@" "plans/$stack.json" > "plans/$stack.md" || code=$?
    summary "plans/$stack.md"
    if [ "$code" -ne 0 ]; then
      echo "::error::plan review of $stack failed (exit $code); nothing more is applied"
      return "$code"
    fi
    terraform -chdir="$dir" apply -input=false -no-color plan.tfplan
    echo "::endgroup::"
  done
}

command="${1:-}"
shift || true
case "$command" in
  diff | stacks | plan | review | apply) "cmd_$command" "$@" ;;
  *)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
