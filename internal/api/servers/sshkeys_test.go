package servers

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// TestCreateKeyRequestText: the key's name and its comment are human text,
// checked by panel.TextProblem (issue 12, item 13).
func TestCreateKeyRequestText(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	bare := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pk)))
	key := bare + " me@laptop"
	tests := []struct {
		name, keyName, publicKey string
		badField                 string
	}{
		{"OK", "laptop", key, ""},
		{"OKUnicode", "Zoë's laptop", bare + " zoë@laptop", ""},
		{"ErrNameBidi", "laptop\u202Egpj.exe", key, "name"},
		{"ErrNameZeroWidth", "lap\u200Btop", key, "name"},
		{"ErrNamePrivateUse", "lap\uE000top", key, "name"},
		{"ErrNameReplacement", "lap\uFFFDtop", key, "name"},
		{"ErrCommentBidi", "laptop", bare + " me\u202E@laptop", "publicKey"},
		{"ErrCommentControl", "laptop", bare + " me\x1b[31m@laptop", "publicKey"},
		{"ErrCommentInvalidUTF8", "laptop", bare + " me\xff", "publicKey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &CreateKeyRequest{Name: tt.keyName, PublicKey: tt.publicKey}
			got := q.Valid()
			if tt.badField == "" {
				if len(got) != 0 {
					t.Fatalf("got %v, want no problems", got)
				}
				return
			}
			if len(got) != 1 || got[tt.badField] == "" {
				t.Errorf("got %v, want one problem on %s", got, tt.badField)
			}
		})
	}
}
