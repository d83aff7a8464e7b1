package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/s3db-go/s3db/pipeline"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// run is the whole command, minus signal handling: tests call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "run the service described by this YAML `file`")
	checkPath := fs.String("check-config", "", "validate this YAML `file` and exit: 0 valid, 1 invalid")
	dataDir := fs.String("data", "data", "embedded mode: the `directory` of the local store, changes and dead letters")
	serve := fs.Bool("serve", false, "embedded mode: keep serving /healthz, /readyz and /metrics after the feed is done, until Ctrl-C")
	httpAddr := fs.String("http", "127.0.0.1:8080", "embedded mode with --serve: the HTTP `address`")
	logLevel := fs.String("log-level", "", "debug, info, warn or error (default: info, or error in embedded mode)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: worker [--config FILE | --check-config FILE | embedded-mode flags]\n\n")
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\nenvironment overrides of the config file:\n")
		for _, e := range pipeline.EnvOverrides() {
			fmt.Fprintf(stderr, "  %-26s %s\n", e[0], e[1])
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 || (*configPath != "" && *checkPath != "") {
		fs.Usage()
		return exitUsage
	}

	switch {
	case *checkPath != "":
		return checkConfig(*checkPath, stdout, stderr)
	case *configPath != "":
		cfg, err := pipeline.LoadConfig(*configPath)
		if err != nil {
			fmt.Fprintln(stderr, "worker:", err)
			return exitError
		}
		if *logLevel != "" {
			cfg.Log.Level = *logLevel
		}
		log := newLogger(stderr, cfg.Log)
		if err := runService(ctx, cfg, log); err != nil {
			log.Error("worker failed", "err", err)
			return exitError
		}
		return exitOK
	default:
		level := *logLevel
		if level == "" {
			level = "error"
		}
		log := newLogger(stderr, pipeline.LogConfig{Level: level, Format: "auto"})
		if err := runEmbedded(ctx, embeddedOptions{dataDir: *dataDir, serve: *serve, httpAddr: *httpAddr}, stdout, log); err != nil {
			fmt.Fprintln(stderr, "worker:", err)
			return exitError
		}
		return exitOK
	}
}

// checkConfig validates a config file and reports every problem.
func checkConfig(path string, stdout, stderr io.Writer) int {
	cfg, err := pipeline.LoadConfig(path)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", path, err)
		return exitError
	}
	var inputs []string
	for _, in := range cfg.Inputs {
		inputs = append(inputs, fmt.Sprintf("%s:%s", in.Transport, in.Queue))
	}
	fmt.Fprintf(stdout, "%s: ok (inputs %s; changes to %s:%s; %d resource definition(s))\n", path,
		strings.Join(inputs, ", "), cfg.Changes.Transport, cfg.Changes.Topic, len(cfg.Resources))
	return exitOK
}

// runService runs the worker of a config until ctx ends (SIGINT/SIGTERM).
func runService(ctx context.Context, cfg *pipeline.Config, log *slog.Logger) error {
	w, err := pipeline.NewWorker(ctx, cfg, pipeline.Options{Logger: log})
	if err != nil {
		return err
	}
	return w.Run(ctx)
}

// newLogger logs JSON when out is not a terminal (collectors parse it), text otherwise.
func newLogger(out io.Writer, c pipeline.LogConfig) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: level}
	format := c.Format
	if format == "auto" || format == "" {
		format = "json"
		if f, ok := out.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(out, opts))
	}
	return slog.New(slog.NewJSONHandler(out, opts))
}
