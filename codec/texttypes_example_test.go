package codec_test

import (
	"fmt"

	"github.com/s3db-go/s3db/codec"
)

func ExampleNormalizeDatetime() {
	iso, _ := codec.NormalizeDatetime("2024-01-02")
	fmt.Println(iso)
	stored := codec.EncodeDatetime(iso)
	fmt.Println(stored, codec.DecodeDatetime(stored))
	// Output:
	// 2024-01-02T00:00:00.000Z
	// u09UPN6 2024-01-02T00:00:00.000Z
}

func ExampleEncodeIP6() {
	stored := codec.EncodeIP6("2001:0DB8:0000:0000:0000:0000:0000:0001")
	fmt.Println(stored, codec.DecodeIP6(stored))
	// Output: IAENuAAAAAAAAAAAAAAAAQ== 2001:db8::1
}

func ExampleNormalizeIP4() {
	_, err := codec.NormalizeIP4("999.1.1.1")
	fmt.Println(err)
	fmt.Println(codec.EncodeIP4("192.168.1.1"), codec.DecodeIP4("wKgBAQ=="))
	// Output:
	// invalid ip4 value "999.1.1.1": not a dotted-quad IPv4 address with octets 0-255 (e.g. 192.168.1.1)
	// wKgBAQ== 192.168.1.1
}

func ExampleDecodeTimeOnly() {
	fmt.Println(codec.EncodeTimeOnly("13:45:30.250"), codec.DecodeTimeOnly("3lP50"))
	// Output: 3lP50 13:45:30.250
}

func ExampleDecodeDuration() {
	d, _ := codec.NormalizeDuration("1h30m")
	fmt.Println(d, codec.EncodeDuration(d), codec.DecodeDuration(codec.EncodeDuration(d)))
	// Output: 5400000 mEMM PT1H30M
}
