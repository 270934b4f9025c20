# gnuplot docs/curve.gp  (from the repository root) -> docs/cost-curve.png
# Data: docs/cost-curve.dat, one bench/curve.sh CURVE line per row (see docs/benchmarks.md).
set terminal pngcairo size 900,520 font ",11"
set output "docs/cost-curve.png"
set title "OrleansTracker cost curve (bench/curve.sh; 2-core guest, shared: responses/s provisional)"
set logscale x 10
set xlabel "torrents (peers: 10 per torrent up to 100k torrents, 2 per torrent at 1M)"
set ylabel "RSS after the fill (MB)"
set y2label "UDP responses/s (provisional)"
set ytics nomirror
set y2tics
set yrange [0:*]
set y2range [0:*]
set key top left
set grid
plot "docs/cost-curve.dat" using 1:3 with linespoints lw 2 pt 7 title "RSS MB", \
     "" using 1:5 axes x1y2 with linespoints lw 2 pt 5 dt 2 title "responses/s"
