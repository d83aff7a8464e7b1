package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// item is one row of the input.
type item struct {
	line    int64  // its first line, from 1, in the whole input
	endLine int64  // its last line (a quoted CSV cell may span lines)
	end     int64  // the byte offset just after it: where a resumed run starts
	raw     []byte // its text (without the line end): hashed into its TxID, and kept for the reject file
	rawJSON bool   // raw is a JSON object (JSONL) rather than text to quote
	data    map[string]any
	err     error // the row cannot be used: it is rejected with this error
}

// source yields the rows of the input; next returns io.EOF after the last.
type source interface {
	next() (item, error)
	// offset is the number of bytes read so far (for progress).
	offset() int64
}

// countingReader counts the bytes read through it and keeps those not yet released, so that the
// text of a CSV record can be cut out of what the CSV reader consumed (it reads ahead).
type countingReader struct {
	r    io.Reader
	n    int64
	kept []byte // the bytes from offset n-len(kept)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.kept = append(c.kept, p[:n]...)
	return n, err
}

// text returns the bytes between the offsets from and to (relative to the reader's start) and
// releases everything before to.
func (c *countingReader) text(from, to int64) []byte {
	base := c.n - int64(len(c.kept))
	from, to = max(from-base, 0), min(max(to-base, 0), int64(len(c.kept)))
	out := bytes.Clone(c.kept[min(from, to):to])
	c.kept = append(c.kept[:0], c.kept[to:]...)
	return out
}

// jsonlSource reads one JSON object per line; blank lines are skipped (but counted).
type jsonlSource struct {
	r      *bufio.Reader
	pos    int64 // byte offset of the next line
	line   int64 // number of the last line read
	maxRow int
	buf    []byte
}

func newJSONLSource(r io.Reader, startOffset, startLine int64, maxRow int) *jsonlSource {
	return &jsonlSource{r: bufio.NewReaderSize(r, 64<<10), pos: startOffset, line: startLine, maxRow: maxRow}
}

func (s *jsonlSource) offset() int64 { return s.pos }

func (s *jsonlSource) next() (item, error) {
	for {
		text, n, tooLong, err := s.readLine()
		if n == 0 && err != nil {
			return item{}, err
		}
		s.line++
		s.pos += int64(n)
		it := item{line: s.line, endLine: s.line, end: s.pos}
		switch {
		case tooLong:
			it.raw = []byte(fmt.Sprintf("%s…", text))
			it.err = fmt.Errorf("the row is %d bytes, over the limit of %d (--max-row-bytes)", n, s.maxRow)
			return it, nil
		case len(bytes.TrimSpace(text)) == 0:
			if err != nil {
				return item{}, err
			}
			continue
		}
		text = bytes.TrimSpace(text)
		it.raw = bytes.Clone(text)
		var obj map[string]any
		if jerr := json.Unmarshal(text, &obj); jerr != nil || obj == nil {
			it.err = jsonError(text, jerr)
		} else {
			it.data, it.rawJSON = obj, true
		}
		return it, nil
	}
}

// readLine reads up to and including the next newline; n counts every byte consumed. A line over
// maxRow bytes is consumed whole but only its first maxRow bytes are returned, with tooLong set.
func (s *jsonlSource) readLine() (text []byte, n int, tooLong bool, err error) {
	s.buf = s.buf[:0]
	for {
		chunk, rerr := s.r.ReadSlice('\n')
		n += len(chunk)
		if room := s.maxRow - len(s.buf); room > 0 {
			s.buf = append(s.buf, chunk[:min(room, len(chunk))]...)
		}
		if n > s.maxRow+1 || (n > s.maxRow && !bytes.HasSuffix(chunk, []byte("\n"))) {
			tooLong = true
		}
		switch {
		case rerr == nil:
			return bytes.TrimRight(s.buf, "\r\n"), n, tooLong, nil
		case errors.Is(rerr, bufio.ErrBufferFull):
			continue
		default:
			return bytes.TrimRight(s.buf, "\r\n"), n, tooLong, rerr
		}
	}
}

// jsonError says what is wrong with a line that is not a JSON object.
func jsonError(text []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("invalid JSON at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		return fmt.Errorf("want a JSON object {...}, got %s", typ.Value)
	case err == nil:
		return errors.New("want a JSON object {...}, got null")
	default:
		return fmt.Errorf("invalid JSON: %v", err)
	}
}

// csvSource reads CSV records after a header row; cells are typed by the resource's schema.
type csvSource struct {
	r        *csv.Reader
	in       *countingReader
	base     int64 // byte offset where r started
	baseLine int64 // lines before where r started
	header   []string
	columns  []column
	maxRow   int
	lastEnd  int64
}

// newCSVSource reads from r, which starts at byte startOffset, line startLine+1, of the input. With
// header nil, the first record is the header (and startOffset must be 0).
func newCSVSource(r io.Reader, startOffset, startLine int64, header []string, types columnTyper, maxRow int) (*csvSource, error) {
	in := &countingReader{r: r}
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	s := &csvSource{r: cr, in: in, base: startOffset, baseLine: startLine, maxRow: maxRow, lastEnd: startOffset}
	if header == nil {
		h, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the CSV input is empty: want a header row first")
		}
		if err != nil {
			return nil, fmt.Errorf("read the CSV header: %w", err)
		}
		if len(h) > 0 {
			h[0] = strings.TrimPrefix(h[0], "\ufeff") // a byte-order mark
		}
		header = h
		s.lastEnd = s.base + cr.InputOffset()
		in.text(0, s.lastEnd-s.base)
	}
	cols, err := types.columns(header)
	if err != nil {
		return nil, err
	}
	s.header, s.columns = header, cols
	return s, nil
}

// headerEnd is the byte offset just after the header (when the source read it).
func (s *csvSource) headerEnd() int64 { return s.lastEnd }

func (s *csvSource) offset() int64 { return s.base + s.in.n }

func (s *csvSource) next() (item, error) {
	rec, err := s.r.Read()
	if errors.Is(err, io.EOF) {
		return item{}, io.EOF
	}
	start := s.lastEnd
	s.lastEnd = s.base + s.r.InputOffset()
	raw := bytes.TrimRight(s.in.text(start-s.base, s.lastEnd-s.base), "\r\n")
	it := item{end: s.lastEnd}
	if len(rec) > 0 {
		line, _ := s.r.FieldPos(0)
		it.line = s.baseLine + int64(line)
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			it.line = s.baseLine + int64(pe.StartLine)
			err = fmt.Errorf("invalid CSV: %w", pe.Err)
		}
		it.raw, it.err = raw, err
		it.endLine = it.line + int64(bytes.Count(raw, []byte("\n")))
		return it, nil
	}
	it.raw = raw
	it.endLine = it.line + int64(bytes.Count(raw, []byte("\n")))
	switch {
	case it.end-start > int64(s.maxRow):
		it.err = fmt.Errorf("the row is %d bytes, over the limit of %d (--max-row-bytes)", it.end-start, s.maxRow)
	case len(rec) != len(s.header):
		it.err = fmt.Errorf("the row has %d fields, the header %d", len(rec), len(s.header))
	default:
		it.data, it.err = buildRow(s.columns, rec)
	}
	return it, nil
}
