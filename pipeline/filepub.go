package pipeline

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/ThreeDotsLabs/watermill/message"
)

// FilePublisher appends each published message's payload as one line to a file (JSON lines): the
// local change target of the embedded mode. Publish returns once the lines are handed to the operating
// system (not fsynced: a crash of the process loses nothing, a crash of the machine may lose the last
// lines, which redelivery does not restore; the embedded mode accepts that). Every topic goes to the same file.
type FilePublisher struct {
	mu   sync.Mutex
	f    *os.File
	w    *bufio.Writer
	path string
}

var _ message.Publisher = (*FilePublisher)(nil)

// NewFilePublisher opens (creating it and its directory) path for appending.
func NewFilePublisher(path string) (*FilePublisher, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("changes file: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("changes file: %w", err)
	}
	return &FilePublisher{f: f, w: bufio.NewWriter(f), path: path}, nil
}

// Path is the file written.
func (p *FilePublisher) Path() string { return p.path }

// Publish writes the payloads, one per line.
func (p *FilePublisher) Publish(_ string, msgs ...*message.Message) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.f == nil {
		return errors.New("changes file: closed")
	}
	for _, m := range msgs {
		p.w.Write(m.Payload)
		p.w.WriteByte('\n')
	}
	if err := p.w.Flush(); err != nil {
		return fmt.Errorf("changes file: %w", err)
	}
	return nil
}

// Close flushes and closes the file.
func (p *FilePublisher) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.f == nil {
		return nil
	}
	err := errors.Join(p.w.Flush(), p.f.Close())
	p.f = nil
	return err
}
