package testenv

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// modulePath identifies the repository root: the directory whose go.mod declares it.
const modulePath = "github.com/s3db-go/s3db"

// RepoRoot returns the absolute path of the repository root (found by walking up from the working
// directory, which `go test` sets to the package directory, to the go.mod of this module).
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("working directory: %v", err)
	}
	root, ok := findRepoRoot(dir)
	if !ok {
		t.Fatalf("no go.mod of module %s in %s or above", modulePath, dir)
	}
	return root
}

// SharedDir returns <repo>/../shared, the project's shared tools and references.
func SharedDir(t testing.TB) string {
	t.Helper()
	return filepath.Join(filepath.Dir(RepoRoot(t)), "shared")
}

func findRepoRoot(dir string) (string, bool) {
	for {
		if isModuleRoot(filepath.Join(dir, "go.mod")) {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func isModuleRoot(gomod string) bool {
	f, err := os.Open(gomod)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "module"); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`) == modulePath
		}
	}
	return false
}
