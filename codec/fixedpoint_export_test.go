package codec

// Internal helpers checked against the oracle by the external tests.
var (
	PowerOfTen = powerOfTen
	JSRound    = jsRound
)
