#!/usr/bin/env bash
# First frame and resident size of the dashboard on a database (DESIGN §13): starts it in tmux,
# polls the screen every 10 ms until the Holdings tab is drawn, then reads VmRSS/VmHWM after 5 s.
# usage: .ci/first-frame.sh DB
set -euo pipefail
cd "$(dirname "$0")/.."
db=$1
swift build -c release --product indextop >/dev/null
bin=$PWD/.build/release/indextop
name=ff$$
tmux kill-session -t "$name" 2>/dev/null || true
start=$(date +%s%N)
tmux new-session -d -s "$name" -x 120 -y 40 "exec $bin --db $db --feed none"
until tmux capture-pane -p -t "$name" | grep -q "1 Holdings"; do sleep 0.01; done
end=$(date +%s%N)
echo "first frame: $(( (end - start) / 1000000 )) ms (including tmux start-up and polling)"
sleep 5
pid=$(tmux display -p -t "$name" '#{pane_pid}')
grep -E "VmRSS|VmHWM" "/proc/$pid/status"
tmux kill-session -t "$name"
