package testenv

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// JS runs ES modules with the real s3db.js 21.6.2 (Node 24) through the shared runner
// (tools/s3dbjs/run.sh): scripts can import "s3db.js", "@aws-sdk/client-s3" and "s3dbjs-harness" by bare
// name. The runner installs the harness on first use (about 40 s cold, instant afterwards).
type JS struct {
	run string
	tb  testing.TB
}

// S3DBJS returns the s3db.js runner named by S3DBJS_RUN (default <repo>/../shared/tools/s3dbjs/run.sh).
// It skips when S3DBJS_RUN is set to "" and fails when the runner is missing.
func S3DBJS(t testing.TB) *JS {
	t.Helper()
	run, set := os.LookupEnv(EnvS3DBJS)
	if set && run == "" {
		t.Skipf("%s is set to the empty string: s3db.js interop tests are off, skipping", EnvS3DBJS)
	}
	if !set {
		run = filepath.Join(SharedDir(t), "tools", "s3dbjs", "run.sh")
	}
	st, err := os.Stat(run)
	if err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		t.Fatalf("s3db.js runner %s is missing or not executable: the shared dir must sit next to the repo "+
			"(<repo>/../shared), or set %s to the runner, or %s= (empty) to skip", run, EnvS3DBJS, EnvS3DBJS)
	}
	return &JS{run: run, tb: t}
}

// Path is the runner's path.
func (j *JS) Path() string { return j.run }

// Run runs the ES module file script (a relative path is relative to the working directory, i.e. the
// test's package directory) with args, and the process environment plus env (env wins). It returns
// stdout; on failure the error carries the exit status and all of stderr. S3DB_EXECUTOR_ENABLED=false is
// set by the runner unless env says otherwise. ctx cancellation kills Node.
func (j *JS) Run(ctx context.Context, script string, env map[string]string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, j.run, append([]string{script}, args...)...)
	cmd.Env = mergeEnv(os.Environ(), env)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("s3db.js %s: %w\n--- stderr ---\n%s", filepath.Base(script), err,
			strings.TrimRight(stderr.String(), "\n"))
	}
	return stdout.Bytes(), nil
}

// RunSource writes source to a temporary .mjs file (removed with the test) and runs it like Run.
func (j *JS) RunSource(ctx context.Context, source string, env map[string]string, args ...string) ([]byte, error) {
	f, err := os.CreateTemp(j.tb.TempDir(), "script-*.mjs")
	if err != nil {
		return nil, fmt.Errorf("write s3db.js script: %w", err)
	}
	if _, err := f.WriteString(source); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("write s3db.js script: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write s3db.js script: %w", err)
	}
	return j.Run(ctx, f.Name(), env, args...)
}

// mergeEnv returns base with the entries of extra set (replacing any earlier value of the same name),
// extra in sorted order so that the result is deterministic.
func mergeEnv(base []string, extra map[string]string) []string {
	out := make([]string, 0, len(base)+len(extra))
	for _, kv := range base {
		name, _, _ := strings.Cut(kv, "=")
		if _, replaced := extra[name]; !replaced {
			out = append(out, kv)
		}
	}
	names := make([]string, 0, len(extra))
	for name := range extra {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		out = append(out, name+"="+extra[name])
	}
	return out
}
