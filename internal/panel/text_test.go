package panel

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestTextProblem(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"OKASCII", "web-1 (prod)", true},
		{"OKAccents", "Zoë Ångström", true},
		{"OKCombining", "e\u0301", true},
		{"OKCJK", "東京サーバー", true},
		{"OKEmoji", "rocket 🚀", true},
		{"OKEmpty", "", true},
		{"ErrInvalidUTF8", "bad\xffname", false},
		{"ErrReplacement", "bad\uFFFDname", false},
		{"ErrNUL", "a\x00b", false},
		{"ErrNewline", "a\nb", false},
		{"ErrTab", "a\tb", false},
		{"ErrDEL", "a\x7fb", false},
		{"ErrC1", "a\u0085b", false},
		{"ErrBidiOverride", "invoice\u202Efdp.exe", false},
		{"ErrBidiIsolate", "a\u2066b", false},
		{"ErrLRM", "a\u200Eb", false},
		{"ErrZeroWidthSpace", "ad\u200Bmin", false},
		{"ErrZeroWidthJoiner", "a\u200Db", false},
		{"ErrBOM", "\uFEFFname", false},
		{"ErrSoftHyphen", "ad\u00ADmin", false},
		{"ErrPrivateUse", "a\uE000b", false},
		{"ErrPrivateUsePlane15", "a\U000F0000b", false},
		{"ErrLineSeparator", "a\u2028b", false},
		{"ErrNoBreakSpace", "a\u00A0b", false},
		{"ErrIdeographicSpace", "a\u3000b", false},
		{"ErrUnassigned", "a\U000E0080b", false},
		{"ErrTagCharacter", "a\U000E0041b", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TextProblem(tt.in)
			if (got == "") != tt.ok {
				t.Errorf("TextProblem(%q) = %q, want ok=%v", tt.in, got, tt.ok)
			}
		})
	}
}

// TestNamesUseTextProblem: each human-readable field's check refuses what
// TextProblem refuses.
func TestNamesUseTextProblem(t *testing.T) {
	for _, bad := range []string{"evil\u202Etxt", "a\u200Bb", "a\uE000b", "a\xffb", "a\uFFFDb", "a\x1bb"} {
		if ValidName(bad) == "" {
			t.Errorf("ValidName(%q) accepted", bad)
		}
		if ValidServerName(bad) == "" {
			t.Errorf("ValidServerName(%q) accepted", bad)
		}
	}
	if got := ValidName("Zoë Ångström"); got != "" {
		t.Errorf("ValidName: got %q, want ok", got)
	}
}

// FuzzTextProblem: accepted text is valid UTF-8 made only of visible
// characters and ordinary spaces, and refusing never panics.
func FuzzTextProblem(f *testing.F) {
	for _, s := range []string{"web-1", "Zoë", "a\u202Eb", "a\u200Bb", "\xff", "\uFFFD", "🚀", "a\u0301", "\U000F0000", " "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if TextProblem(s) != "" {
			return
		}
		if !utf8.ValidString(s) {
			t.Fatalf("accepted invalid UTF-8 %q", s)
		}
		for _, r := range s {
			if r == ' ' {
				continue
			}
			if r == utf8.RuneError || unicode.In(r, unicode.C, unicode.Z) || strings.ContainsRune("\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200B\u200C\u200D\uFEFF", r) {
				t.Fatalf("accepted %q with U+%04X", s, r)
			}
		}
	})
}
