package panel

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// TextProblem reports why s cannot be stored as human-readable text (a name,
// a label, a comment, a reason), or "". It is the one check every such field
// goes through. Text must be valid UTF-8 (encoding/json would otherwise have
// replaced bad bytes with U+FFFD, so that is refused too) and hold only
// letters, marks, numbers, punctuation, symbols and the ordinary space.
// That refuses control characters, bidi overrides (U+202E) and other format
// characters, zero-width characters, private-use and unassigned code points,
// surrogates, and line, paragraph and unusual space separators, which can
// make a name display as something else than it is.
func TextProblem(s string) string {
	if !utf8.ValidString(s) {
		return "Use valid UTF-8 text."
	}
	for _, r := range s {
		if r == ' ' {
			continue
		}
		if r == utf8.RuneError {
			return "Remove the unreadable character (U+FFFD)."
		}
		if !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S) {
			return fmt.Sprintf("Remove the invisible or control character U+%04X.", r)
		}
	}
	return ""
}
