package sqs

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// EnvelopeAttribute is the one SQS message attribute a published message carries: a JSON object with the
// watermill UUID, all the metadata, and how the body encodes the payload. Packing everything into one
// attribute keeps clear of SQS's limit of 10 attributes per message, whatever the number of metadata keys.
const EnvelopeAttribute = "watermill"

// Metadata keys set on received messages (they override metadata of the same name).
const (
	// MetadataMessageID is SQS's MessageId of the received message.
	MetadataMessageID = "sqs.message_id"
	// MetadataReceiveCount is SQS's ApproximateReceiveCount: 1 on the first delivery.
	MetadataReceiveCount = "sqs.receive_count"
	// MetadataSentTimestamp is when SQS accepted the message, in Unix milliseconds.
	MetadataSentTimestamp = "sqs.sent_timestamp"
	// MetadataMessageGroupID is the MessageGroupId of a message from a FIFO queue. The Publisher's default
	// group function reads the same key, so a message forwarded from one FIFO queue to another keeps its group.
	MetadataMessageGroupID = "sqs.message_group_id"
)

// Payload encodings recorded in the envelope. SQS bodies must be non-empty text of a restricted
// character set (#x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF). Characters beyond the Basic
// Multilingual Plane (#x10000 and up: emoji, for one) are sent in base64 too: AWS accepts them, but fauxqs
// 1.9.2 checks UTF-16 code units and rejects their surrogate pairs, and a body must never depend on which
// SQS implementation receives it.
const (
	encodingText   = ""       // the body is the payload
	encodingBase64 = "base64" // the body is the standard base64 of the payload
	encodingEmpty  = "empty"  // the payload is empty; the body is a placeholder
)

// emptyBody stands in for an empty payload: SQS rejects empty bodies.
const emptyBody = "-"

// envelope is the JSON value of EnvelopeAttribute.
type envelope struct {
	UUID     string            `json:"uuid"`
	Metadata map[string]string `json:"metadata,omitempty"`
	Encoding string            `json:"encoding,omitempty"`
}

// outgoing is a message ready to be sent.
type outgoing struct {
	uuid    string
	body    string
	attrs   map[string]types.MessageAttributeValue
	groupID string // FIFO only
	dedupID string // FIFO only
	size    int    // what SQS counts against its size limits
}

// marshal turns a watermill message into an SQS message.
func marshal(msg *message.Message) (outgoing, error) {
	env := envelope{UUID: msg.UUID, Metadata: msg.Metadata}
	var body string
	switch {
	case len(msg.Payload) == 0:
		body, env.Encoding = emptyBody, encodingEmpty
	case isSQSText(msg.Payload):
		body = string(msg.Payload)
	default:
		body, env.Encoding = base64.StdEncoding.EncodeToString(msg.Payload), encodingBase64
	}
	raw, err := json.Marshal(env)
	if err != nil {
		return outgoing{}, fmt.Errorf("sqs: marshal metadata of message %s: %w", msg.UUID, err)
	}
	attrs := map[string]types.MessageAttributeValue{
		EnvelopeAttribute: {DataType: aws.String("String"), StringValue: aws.String(escapeJSONForSQS(raw))},
	}
	return outgoing{uuid: msg.UUID, body: body, attrs: attrs, size: messageSize(body, attrs)}, nil
}

// messageSize is the size SQS counts for a message: the body plus, for each attribute, its name, data type
// and value.
func messageSize(body string, attrs map[string]types.MessageAttributeValue) int {
	n := len(body)
	for name, v := range attrs {
		n += len(name) + len(aws.ToString(v.DataType)) + len(aws.ToString(v.StringValue)) + len(v.BinaryValue)
	}
	return n
}

// isSQSText reports whether b can be an SQS message body as it is: non-empty UTF-8 made only of the
// characters SQS allows, within the Basic Multilingual Plane.
func isSQSText(b []byte) bool {
	if len(b) == 0 || !utf8.Valid(b) {
		return false
	}
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		switch {
		case r == 0x9 || r == 0xA || r == 0xD:
		case r >= 0x20 && r <= 0xD7FF:
		case r >= 0xE000 && r <= 0xFFFD:
		default:
			return false
		}
	}
	return true
}

// escapeJSONForSQS rewrites the characters of a JSON text that SQS (or an emulator) may refuse in an
// attribute value as \u escapes, which JSON decodes back: U+FFFE, U+FFFF and everything beyond the Basic
// Multilingual Plane (as a UTF-16 surrogate pair). encoding/json already escapes control characters and
// replaces invalid UTF-8, and every non-ASCII character of a JSON text is inside a string.
func escapeJSONForSQS(raw []byte) string {
	var b strings.Builder
	b.Grow(len(raw))
	for _, r := range string(raw) {
		switch {
		case r <= 0xFFFD:
			b.WriteRune(r)
		case r <= 0xFFFF:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, hi, lo)
		}
	}
	return b.String()
}

// unmarshal turns a received SQS message into a watermill message. Attributes other than the envelope
// (set by non-watermill producers, SNS, EventBridge…) become metadata too: String and Number values as
// they are, Binary values in standard base64. The envelope's metadata wins over them, and the sqs.* keys
// win over everything. A message without an envelope keeps its body as the payload and gets its SQS
// MessageId as UUID.
func unmarshal(m types.Message) (*message.Message, error) {
	md := message.Metadata{}
	var env envelope
	for name, v := range m.MessageAttributes {
		if name == EnvelopeAttribute {
			if err := json.Unmarshal([]byte(aws.ToString(v.StringValue)), &env); err != nil {
				return nil, fmt.Errorf("sqs: message %s: decode the %s attribute: %w", aws.ToString(m.MessageId), EnvelopeAttribute, err)
			}
			continue
		}
		if v.StringValue != nil {
			md[name] = *v.StringValue
		} else if v.BinaryValue != nil {
			md[name] = base64.StdEncoding.EncodeToString(v.BinaryValue)
		}
	}
	maps.Copy(md, env.Metadata)

	body := aws.ToString(m.Body)
	var payload []byte
	switch env.Encoding {
	case encodingText:
		payload = []byte(body)
	case encodingBase64:
		p, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return nil, fmt.Errorf("sqs: message %s: decode base64 body: %w", aws.ToString(m.MessageId), err)
		}
		payload = p
	case encodingEmpty:
		payload = []byte{}
	default:
		return nil, fmt.Errorf("sqs: message %s: unknown payload encoding %q", aws.ToString(m.MessageId), env.Encoding)
	}
	uuid := env.UUID
	if uuid == "" {
		uuid = aws.ToString(m.MessageId)
	}

	md[MetadataMessageID] = aws.ToString(m.MessageId)
	md[MetadataReceiveCount] = strconv.Itoa(receiveCount(m))
	if ts := m.Attributes[string(types.MessageSystemAttributeNameSentTimestamp)]; ts != "" {
		md[MetadataSentTimestamp] = ts
	}
	if g := m.Attributes[string(types.MessageSystemAttributeNameMessageGroupId)]; g != "" {
		md[MetadataMessageGroupID] = g
	}
	msg := message.NewMessage(uuid, payload)
	msg.Metadata = md
	return msg, nil
}

// receiveCount is the message's ApproximateReceiveCount, 1 when SQS did not say.
func receiveCount(m types.Message) int {
	n, err := strconv.Atoi(m.Attributes[string(types.MessageSystemAttributeNameApproximateReceiveCount)])
	if err != nil || n < 1 {
		return 1
	}
	return n
}
