package behaviors

import (
	"math"
	"sort"
	"unicode/utf8"

	"github.com/s3db-go/s3db/codec"
)

// truncateData keeps the smallest fields whole, cuts the first one that does not fit and drops the
// rest, marking the record with $truncated. It never writes a body.
//
// s3db.js 21.6.2 then blanks whole fields while its own count (names included) is over its budget,
// and can loop forever (format spec §13.3). That count reserves 66 bytes for timestamps that take 16
// and ignores the text encoding, so it is not what S3 enforces. Here the step is replaced by a
// check of the encoded headers against S3's limit, shortening the longest values at UTF-8
// boundaries when needed: no kept field is emptied, it always ends, and records where s3db.js does
// not blank anything come out identical.
type truncateData struct{}

func (truncateData) Name() string { return TruncateData }

func (b truncateData) Update(mapped codec.Ordered, cfg Config) (Split, error) {
	return b.Insert(mapped, cfg)
}

func (truncateData) Insert(mapped codec.Ordered, cfg Config) (Split, error) {
	version := versionOf(mapped, cfg)
	limit := cfg.effectiveLimit(false)
	result := make(codec.Ordered, 1, len(mapped)+1)
	result[0] = codec.Member{Name: "_v", Value: version}
	current := len(version)
	truncated := false
	cutField := ""
	var fs fieldSizes
	fs.init(mapped)
	for _, i := range fs.order {
		f := sizedField{fs.fields[i], fs.size[i]}
		need := f.size
		if !truncated {
			need += truncBytes
		}
		if current+need <= limit {
			result = append(result, f.Member)
			current += f.size
			continue
		}
		avail := limit - current
		if !truncated {
			avail -= truncBytes
		}
		cut := ""
		if avail > 0 {
			cut = cutUTF8(valueText(f.Value), avail)
		}
		result = append(result, codec.Member{Name: f.Name, Value: cut})
		truncated, cutField = true, f.Name
		break
	}
	s := Split{Metadata: withTruncFlag(result, truncated)}
	// The u:/b: text encoding can still push the headers over S3's limit.
	for i := 0; i < 64 && !s.fitsS3(cfg); i++ {
		excess := HeaderSize(s.Headers()) - (cfg.limit() + 1)
		result = shrink(result, max(1, (excess+2)/3), func(m codec.Member) int {
			if m.Name == cutField {
				return math.MaxInt // shorten the value that is already cut before touching whole ones
			}
			return len(codec.EncodeMeta(m.Value))
		})
		s = Split{Metadata: withTruncFlag(result, true)}
	}
	if !s.fitsS3(cfg) {
		return Split{}, &MetadataLimitError{Behavior: TruncateData, Operation: "insert", Size: HeaderSize(s.Headers()), Limit: cfg.limit() + 1, Encoded: true}
	}
	return s, nil
}

// shrink removes about n bytes from the values, longest first (by weight), cutting at UTF-8
// boundaries. Values become text; _v is never touched.
func shrink(rec codec.Ordered, n int, weight func(codec.Member) int) codec.Ordered {
	out := append(codec.Ordered(nil), rec...)
	order := make([]int, 0, len(out))
	for i, m := range out {
		if m.Name != "_v" {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return weight(out[order[a]]) > weight(out[order[b]]) })
	for _, i := range order {
		if n <= 0 {
			break
		}
		text := valueText(out[i].Value)
		keep := max(0, len(text)-n)
		cut := cutUTF8(text, keep)
		n -= len(text) - len(cut)
		out[i].Value = cut
	}
	return out
}

func withTruncFlag(rec codec.Ordered, truncated bool) codec.Ordered {
	if !truncated {
		return rec
	}
	out := make(codec.Ordered, len(rec), len(rec)+1)
	copy(out, rec)
	return append(out, codec.Member{Name: truncatedFlag, Value: flagValue})
}

// valueText is the text s3db.js truncates: strings as they are, objects as JSON, the rest String().
func valueText(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case nil:
		return "null"
	case bool:
		if t {
			return "true"
		}
		return "false"
	case float64:
		return codec.FormatNumber(t)
	}
	b, err := codec.MarshalJS(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// cutUTF8 returns the longest prefix of s of at most n bytes that ends on a character boundary.
func cutUTF8(s string, n int) string {
	if n >= len(s) {
		return s
	}
	if n <= 0 {
		return ""
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
