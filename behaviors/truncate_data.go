package behaviors

import (
	"sort"
	"unicode/utf8"

	"github.com/s3db-go/s3db/codec"
)

// truncateData keeps the smallest fields whole, cuts the first one that does not fit and drops the
// rest, marking the record with $truncated. It never writes a body.
//
// s3db.js 21.6.2 then blanks whole fields when names push the total over the limit, and can loop
// forever (format spec §13.3). Here the cut field is shortened further instead, at UTF-8
// boundaries, so the result always fits and no kept field is emptied; records where s3db.js does
// not blank anything come out identical.
type truncateData struct{}

func (truncateData) Name() string { return TruncateData }

func (b truncateData) Update(mapped codec.Ordered, cfg Config) (Split, error) {
	return b.Insert(mapped, cfg)
}

func (truncateData) Insert(mapped codec.Ordered, cfg Config) (Split, error) {
	version := versionOf(mapped, cfg)
	limit := cfg.effectiveLimit(false)
	result := codec.Ordered{{Name: "_v", Value: version}}
	current := len(version)
	truncated := false
	for _, f := range bySize(mapped) {
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
		truncated = true
		break
	}
	flag := 0
	if truncated {
		flag = truncBytes
	}
	// Names count too: shorten the longest values until the whole record fits.
	if excess := TotalSize(result) + flag - limit; excess > 0 {
		truncated = true
		if flag == 0 {
			excess += truncBytes
		}
		result = shrink(result, excess, func(m codec.Member) int { return ValueSize(m.Value) })
	}
	s := Split{Metadata: withTruncFlag(result, truncated)}
	// The u:/b: text encoding can still push the headers over S3's limit.
	for i := 0; i < 64 && !s.fitsS3(cfg); i++ {
		excess := HeaderSize(s.Headers()) - (cfg.limit() + 1)
		result = shrink(result, max(1, (excess+2)/3), func(m codec.Member) int {
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
