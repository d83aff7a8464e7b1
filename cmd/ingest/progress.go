package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// counters are what progress reports shows: rows done in this run and bytes of input read.
type counters interface {
	progress() (done int64, bytesRead int64)
}

// progressReporter shows progress until stop is called: a bar (bytes of input, with an ETA when
// the input size is known, rows and rows/s in the description) on a terminal, a plain line every
// interval otherwise, nothing with mode "none".
type progressReporter struct {
	stop func()
}

// isTerminal says whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func startProgress(mode string, w io.Writer, label string, size, start int64, c counters, plainEvery time.Duration) *progressReporter {
	if mode == "auto" {
		mode = "plain"
		if isTerminal(w) {
			mode = "bar"
		}
	}
	if mode == "none" {
		return &progressReporter{stop: func() {}}
	}
	began := time.Now()
	quit := make(chan struct{})
	var wg sync.WaitGroup
	rate := func() (int64, int64, float64) {
		done, read := c.progress()
		secs := time.Since(began).Seconds()
		if secs <= 0 {
			return done, read, 0
		}
		return done, read, float64(done) / secs
	}
	if mode == "bar" {
		max := size
		if max <= 0 {
			max = -1 // a spinner: the size of stdin is unknown
		}
		bar := progressbar.NewOptions64(max,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(label),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowDescriptionAtLineEnd(),
		)
		_ = bar.Set64(start)
		wg.Go(func() {
			t := time.NewTicker(250 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-quit:
					done, read, r := rate()
					bar.Describe(fmt.Sprintf("%s: %d rows, %.0f rows/s", label, done, r))
					_ = bar.Set64(read)
					_ = bar.Exit()
					fmt.Fprintln(w)
					return
				case <-t.C:
					done, read, r := rate()
					bar.Describe(fmt.Sprintf("%s: %d rows, %.0f rows/s", label, done, r))
					_ = bar.Set64(read)
				}
			}
		})
	} else {
		wg.Go(func() {
			t := time.NewTicker(plainEvery)
			defer t.Stop()
			for {
				select {
				case <-quit:
					return
				case <-t.C:
					done, read, r := rate()
					pct := ""
					if size > 0 {
						pct = fmt.Sprintf(", %.1f%% of the input", 100*float64(read)/float64(size))
					}
					fmt.Fprintf(w, "%s: %d rows done, %.0f rows/s%s, %s elapsed\n", label, done, r, pct, time.Since(began).Round(time.Second))
				}
			}
		})
	}
	var once sync.Once
	return &progressReporter{stop: func() {
		once.Do(func() {
			close(quit)
			wg.Wait()
		})
	}}
}
