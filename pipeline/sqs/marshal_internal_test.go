package sqs

import (
	"fmt"
	"testing"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// received turns an outgoing message into what ReceiveMessage would return for it.
func received(o outgoing, id string, count string) types.Message {
	return types.Message{
		MessageId:         aws.String(id),
		ReceiptHandle:     aws.String("rh-" + id),
		Body:              aws.String(o.body),
		MessageAttributes: o.attrs,
		Attributes:        map[string]string{"ApproximateReceiveCount": count, "SentTimestamp": "1700000000000"},
	}
}

func TestMarshal_roundtrip(t *testing.T) {
	tests := []struct {
		name     string
		payload  []byte
		wantBody string // "" = do not check
	}{
		{name: "text", payload: []byte(`{"a":"é ü "}`), wantBody: `{"a":"é ü "}`},
		{name: "beyond the BMP", payload: []byte(`{"a":"😀"}`), wantBody: "eyJhIjoi8J+YgCJ9"},
		{name: "binary", payload: []byte{0x00, 0xff, 0xfe, 'x'}},
		{name: "invalid UTF-8", payload: []byte("a\xc3")},
		{name: "control characters", payload: []byte("a\x01b")},
		{name: "U+FFFE", payload: []byte("\uFFFE")},
		{name: "empty", payload: []byte{}, wantBody: emptyBody},
		{name: "nil", payload: nil, wantBody: emptyBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := message.NewMessage("uuid-1", tt.payload)
			for i := range 30 {
				msg.Metadata.Set(fmt.Sprintf("key-%02d", i), fmt.Sprintf("value %d ✓", i))
			}
			o, err := marshal(msg)
			require.NoError(t, err)
			assert.Len(t, o.attrs, 1, "all metadata must travel in one attribute")
			assert.Contains(t, o.attrs, EnvelopeAttribute)
			assert.True(t, isSQSText([]byte(o.body)), "the body must be valid SQS text: %q", o.body)
			if tt.wantBody != "" {
				assert.Equal(t, tt.wantBody, o.body)
			}
			assert.Equal(t, len(o.body)+len(EnvelopeAttribute)+len("String")+len(aws.ToString(o.attrs[EnvelopeAttribute].StringValue)), o.size)

			got, err := unmarshal(received(o, "mid-1", "3"))
			require.NoError(t, err)
			assert.Equal(t, "uuid-1", got.UUID)
			assert.Equal(t, string(tt.payload), string(got.Payload))
			for i := range 30 {
				assert.Equal(t, fmt.Sprintf("value %d ✓", i), got.Metadata.Get(fmt.Sprintf("key-%02d", i)))
			}
			assert.Equal(t, "mid-1", got.Metadata.Get(MetadataMessageID))
			assert.Equal(t, "3", got.Metadata.Get(MetadataReceiveCount))
			assert.Equal(t, "1700000000000", got.Metadata.Get(MetadataSentTimestamp))
			assert.Len(t, got.Metadata, 30+3)
		})
	}
}

func TestUnmarshal_foreign_message(t *testing.T) {
	m := types.Message{
		MessageId: aws.String("mid-9"),
		Body:      aws.String("plain body"),
		MessageAttributes: map[string]types.MessageAttributeValue{
			"source":    {DataType: aws.String("String"), StringValue: aws.String("billing")},
			"amount":    {DataType: aws.String("Number"), StringValue: aws.String("12.5")},
			"signature": {DataType: aws.String("Binary"), BinaryValue: []byte{1, 2, 3}},
		},
		Attributes: map[string]string{"ApproximateReceiveCount": "1", "MessageGroupId": "g7"},
	}
	got, err := unmarshal(m)
	require.NoError(t, err)
	assert.Equal(t, "mid-9", got.UUID, "a message without envelope takes the SQS MessageId as UUID")
	assert.Equal(t, "plain body", string(got.Payload))
	assert.Equal(t, message.Metadata{
		"source":               "billing",
		"amount":               "12.5",
		"signature":            "AQID",
		MetadataMessageID:      "mid-9",
		MetadataReceiveCount:   "1",
		MetadataMessageGroupID: "g7",
	}, got.Metadata)
}

func TestUnmarshal_precedence(t *testing.T) {
	msg := message.NewMessage("u", []byte("x"))
	msg.Metadata.Set("color", "from-envelope")
	msg.Metadata.Set(MetadataMessageID, "stale id of an earlier hop")
	o, err := marshal(msg)
	require.NoError(t, err)
	o.attrs["color"] = types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String("from-attribute")}
	got, err := unmarshal(received(o, "fresh", "1"))
	require.NoError(t, err)
	assert.Equal(t, "from-envelope", got.Metadata.Get("color"), "the envelope wins over native attributes")
	assert.Equal(t, "fresh", got.Metadata.Get(MetadataMessageID), "sqs.* keys describe this delivery")
}

func TestUnmarshal_errors(t *testing.T) {
	for name, env := range map[string]string{
		"bad JSON":         `{"uuid":`,
		"unknown encoding": `{"uuid":"u","encoding":"rot13"}`,
		"bad base64":       `{"uuid":"u","encoding":"base64"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := unmarshal(types.Message{
				MessageId: aws.String("m"),
				Body:      aws.String("not base64!"),
				MessageAttributes: map[string]types.MessageAttributeValue{
					EnvelopeAttribute: {DataType: aws.String("String"), StringValue: aws.String(env)},
				},
			})
			require.Error(t, err)
		})
	}
}

func TestSplitBatches(t *testing.T) {
	sized := func(sizes ...int) []outgoing {
		out := make([]outgoing, len(sizes))
		for i, s := range sizes {
			out[i] = outgoing{uuid: fmt.Sprint(i), size: s}
		}
		return out
	}
	lens := func(batches [][]outgoing) []int {
		var n []int
		for _, b := range batches {
			n = append(n, len(b))
		}
		return n
	}
	many := make([]int, 25)
	for i := range many {
		many[i] = 10
	}
	tests := []struct {
		name  string
		sizes []int
		want  []int
	}{
		{name: "none", sizes: nil, want: nil},
		{name: "one", sizes: []int{5}, want: []int{1}},
		{name: "ten per batch", sizes: many, want: []int{10, 10, 5}},
		{name: "bytes", sizes: []int{400, 400, 300, 100, 1000}, want: []int{2, 2, 1}},
		{name: "oversized alone", sizes: []int{10, 5000, 10}, want: []int{1, 1, 1}},
		{name: "exactly the limit", sizes: []int{500, 500, 1}, want: []int{2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitBatches(sized(tt.sizes...), 1000)
			assert.Equal(t, tt.want, lens(got))
			var order []string
			for _, b := range got {
				for _, o := range b {
					order = append(order, o.uuid)
				}
			}
			for i, id := range order {
				assert.Equal(t, fmt.Sprint(i), id, "order must be kept")
			}
		})
	}
}

func TestFitFIFOID(t *testing.T) {
	assert.Equal(t, "2b6f1c1e-0d4a-4b0f-9f7e-3c2a1b0c9d8e", fitFIFOID("2b6f1c1e-0d4a-4b0f-9f7e-3c2a1b0c9d8e"))
	assert.Equal(t, "a!#[]~", fitFIFOID("a!#[]~"))
	for _, bad := range []string{"", "has space", "é", string(make([]byte, 129))} {
		got := fitFIFOID(bad)
		assert.Len(t, got, 64, "%q must be hashed", bad)
		assert.Equal(t, got, fitFIFOID(bad), "hashing must be stable")
	}
	assert.NotEqual(t, fitFIFOID("a b"), fitFIFOID("a c"))
}

func TestMarshal_metadata_characters(t *testing.T) {
	values := []string{"plain", "é ü", "emoji 😀", "\uFFFE\uFFFF", "ctl \x01\x1f", "bad utf-8 \xff", "\uE000"}
	msg := message.NewMessage("u", []byte("x"))
	for i, v := range values {
		msg.Metadata.Set(fmt.Sprint(i), v)
	}
	o, err := marshal(msg)
	require.NoError(t, err)
	assert.True(t, isSQSText([]byte(aws.ToString(o.attrs[EnvelopeAttribute].StringValue))),
		"the envelope must be valid SQS text: %q", aws.ToString(o.attrs[EnvelopeAttribute].StringValue))
	got, err := unmarshal(received(o, "m", "1"))
	require.NoError(t, err)
	for i, v := range values {
		want := v
		if i == 5 {
			want = "bad utf-8 \uFFFD" // encoding/json replaces invalid UTF-8
		}
		assert.Equal(t, want, got.Metadata.Get(fmt.Sprint(i)))
	}
}
