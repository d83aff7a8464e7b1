package objstore

import (
	"bufio"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// fileHeader is the first line of an object file, JSON; the body follows the newline. One file holds
// both, so that a rename replaces body and metadata together: a reader never sees one without the other.
type fileHeader struct {
	ETag        string            `json:"etag"`
	Size        int64             `json:"size"`
	Modified    time.Time         `json:"modified"`
	ContentType string            `json:"contentType,omitempty"`
	Metadata    map[string]string `json:"metadata,omitempty"`
}

// md5ETag is the ETag S3 gives a single-part upload: the quoted hex MD5 of the body.
func md5ETag(body []byte) string {
	sum := md5.Sum(body)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

// sameETag compares two ETags, quoted or not.
func sameETag(a, b string) bool {
	return strings.Trim(a, `"`) == strings.Trim(b, `"`)
}

// errCorrupt marks an object file that does not parse; it is reported, never taken for a missing key.
var errCorrupt = errors.New("corrupt object file")

// openObject opens an object file and reads its header; the reader is positioned at the body. A missing
// file is fs.ErrNotExist.
func openObject(path string) (*os.File, *bufio.Reader, *fileHeader, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, syscall.ENOTDIR) {
			err = fs.ErrNotExist
		}
		return nil, nil, nil, err
	}
	r := bufio.NewReaderSize(f, 4096)
	line, err := r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		var rest []byte
		rest, err = r.ReadBytes('\n')
		line = append(append([]byte(nil), line...), rest...)
	}
	if err != nil {
		_ = f.Close()
		return nil, nil, nil, fmt.Errorf("%w %s: header: %v", errCorrupt, path, err)
	}
	var h fileHeader
	if err := json.Unmarshal(line, &h); err != nil {
		_ = f.Close()
		return nil, nil, nil, fmt.Errorf("%w %s: header: %v", errCorrupt, path, err)
	}
	if h.Metadata == nil {
		h.Metadata = map[string]string{}
	}
	return f, r, &h, nil
}

// readHeader returns the header of the object file at path (nil, nil when there is none).
func readHeader(path string) (*fileHeader, error) {
	f, _, h, err := openObject(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	_ = f.Close()
	return h, nil
}

// readObject returns the header and body of the object file at path.
func readObject(path string) (*fileHeader, []byte, error) {
	f, r, h, err := openObject(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	if h.Size < 0 || h.Size > 5<<40 {
		return nil, nil, fmt.Errorf("%w %s: size %d", errCorrupt, path, h.Size)
	}
	body := make([]byte, h.Size)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, nil, fmt.Errorf("%w %s: body: %v", errCorrupt, path, err)
	}
	return h, body, nil
}

// writeObject replaces the object file at path atomically: a temporary file in the same directory,
// written whole (and synced unless noSync), then renamed over path (and the directory synced).
func writeObject(dir, path string, h *fileHeader, body []byte, noSync bool) error {
	line, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("encode header: %w", err)
	}
	base := strings.TrimSuffix(filepath.Base(path), objectSuffix)
	tmp, err := os.CreateTemp(dir, base+tempInfix+"*")
	if err != nil {
		return fmt.Errorf("create temporary file: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	buf := make([]byte, 0, len(line)+1+len(body))
	buf = append(append(append(buf, line...), '\n'), body...)
	if _, err := tmp.Write(buf); err != nil {
		return fmt.Errorf("write temporary file: %w", err)
	}
	if !noSync {
		if err := tmp.Sync(); err != nil {
			return fmt.Errorf("sync temporary file: %w", err)
		}
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close temporary file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("rename temporary file: %w", err)
	}
	ok = true
	if !noSync {
		return syncDir(dir)
	}
	return nil
}

// syncDir makes a directory's entries durable (a new or removed name survives a crash).
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open directory: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("sync directory: %w", err)
	}
	return nil
}
