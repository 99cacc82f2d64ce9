package servers

import (
	"crypto/rsa"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/ssh"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// minRSABits is the smallest RSA key accepted.
const minRSABits = 2048

// ParsePublicKey checks an OpenSSH public key line and returns it in
// canonical form ("type base64 [comment]"), its type and its SHA256
// fingerprint. Only ed25519, RSA of at least 2048 bits and ECDSA keys are
// accepted; the problem is returned customer-readable.
func ParsePublicKey(line string) (canonical, keyType, fingerprint, problem string) {
	line = strings.TrimSpace(line)
	if line == "" {
		return "", "", "", "Paste your public key."
	}
	if strings.Contains(line, "PRIVATE KEY") {
		return "", "", "", "This is a private key. Paste the public key (the .pub file) instead."
	}
	if strings.ContainsAny(line, "\r\n") {
		return "", "", "", "Paste one key on one line."
	}
	pk, comment, options, rest, err := ssh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		return "", "", "", "This is not an OpenSSH public key."
	}
	if len(options) > 0 || len(rest) > 0 {
		return "", "", "", "Paste the key alone, without options."
	}
	switch t := pk.Type(); t {
	case ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521:
	case ssh.KeyAlgoRSA:
		cpk, ok := pk.(ssh.CryptoPublicKey)
		if !ok {
			return "", "", "", "This RSA key cannot be read."
		}
		if rk, ok := cpk.CryptoPublicKey().(*rsa.PublicKey); !ok || rk.N.BitLen() < minRSABits {
			return "", "", "", "RSA keys must have at least 2048 bits; an ed25519 key is better."
		}
	default:
		return "", "", "", "Use an ed25519, ECDSA or RSA (2048 bits or more) key; " + t + " keys are not accepted."
	}
	canonical = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pk)))
	if comment = strings.TrimSpace(comment); comment != "" {
		if p := panel.TextProblem(comment); p != "" {
			return "", "", "", "The key's comment: " + p
		}
		canonical += " " + comment
	}
	return canonical, pk.Type(), ssh.FingerprintSHA256(pk), ""
}

// sshKey converts a stored key, reading its type and fingerprint from the
// public key itself (VirtFusion only says "OpenSSH").
func sshKey(k virtfusion.SSHKey) panel.SSHKey {
	out := panel.SSHKey{ID: int64(k.ID), Name: string(k.Name), CreatedAt: k.Created.UTC()}
	if pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(k.PublicKey)); err == nil {
		out.Type, out.Fingerprint = pk.Type(), ssh.FingerprintSHA256(pk)
	} else if f := strings.Fields(string(k.PublicKey)); len(f) > 0 {
		out.Type = f[0]
	}
	return out
}

// listKeys is GET /api/account/ssh-keys.
func (h *handlers) listKeys(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	out := []panel.SSHKey{}
	if p.VFUserID > 0 {
		keys, err := h.d.VirtFusion.SSHKeys(r.Context(), p.VFUserID)
		if err != nil {
			return err
		}
		for _, k := range keys {
			out = append(out, sshKey(k))
		}
	}
	return httpx.Encode(w, http.StatusOK, SSHKeyList{Keys: out})
}

// CreateKeyRequest is the body of POST /api/account/ssh-keys.
type CreateKeyRequest struct {
	Name      string `json:"name"`
	PublicKey string `json:"publicKey"`

	canonical, keyType, fingerprint string
}

// Valid implements httpx.Validator; it also parses the key.
func (q *CreateKeyRequest) Valid() map[string]string {
	p := map[string]string{}
	name := strings.TrimSpace(q.Name)
	switch {
	case name == "":
		p["name"] = "Name the key, e.g. the computer it is on."
	case utf8.RuneCountInString(name) > 64:
		p["name"] = "Use at most 64 characters."
	case panel.TextProblem(name) != "":
		p["name"] = panel.TextProblem(name)
	}
	var problem string
	q.canonical, q.keyType, q.fingerprint, problem = ParsePublicKey(q.PublicKey)
	if problem != "" {
		p["publicKey"] = problem
	}
	return p
}

// createKey is POST /api/account/ssh-keys.
func (h *handlers) createKey(w http.ResponseWriter, r *http.Request) error {
	req, err := httpx.Decode[CreateKeyRequest](r)
	if err != nil {
		return err
	}
	p := principal(r)
	if p.VFUserID <= 0 {
		return panel.Errorf(panel.ECONFLICT, "Your account is still being set up; try again in a minute.")
	}
	ctx := r.Context()
	keys, err := h.d.VirtFusion.SSHKeys(ctx, p.VFUserID)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if sshKey(k).Fingerprint == req.fingerprint {
			return panel.Errorf(panel.ECONFLICT, "You have already added this key, as %q.", string(k.Name))
		}
	}
	name := strings.TrimSpace(req.Name)
	k, err := h.d.VirtFusion.CreateSSHKey(ctx, p.VFUserID, name, req.canonical)
	h.audit(r, panel.ActSSHKeyCreate, "ssh-key:"+keyIDOf(k), name+" "+req.fingerprint, err)
	if err != nil {
		return err
	}
	out := sshKey(*k)
	out.Name, out.Type, out.Fingerprint = name, req.keyType, req.fingerprint
	if out.CreatedAt.IsZero() {
		out.CreatedAt = h.d.Now().UTC()
	}
	return httpx.Encode(w, http.StatusCreated, SSHKeyBody{Key: out})
}

func keyIDOf(k *virtfusion.SSHKey) string {
	if k == nil {
		return "new"
	}
	return strconv.FormatInt(int64(k.ID), 10)
}

// deleteKey is DELETE /api/account/ssh-keys/{id}. Only the caller's own
// keys can be deleted; any other id is 404.
func (h *handlers) deleteKey(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p := principal(r)
	if err != nil || id <= 0 || p.VFUserID <= 0 {
		return panel.NotFound("SSH key")
	}
	ctx := r.Context()
	keys, err := h.d.VirtFusion.SSHKeys(ctx, p.VFUserID)
	if err != nil {
		return err
	}
	var name string
	found := false
	for _, k := range keys {
		if int64(k.ID) == id {
			found, name = true, string(k.Name)
		}
	}
	if !found {
		return panel.NotFound("SSH key")
	}
	err = h.d.VirtFusion.DeleteSSHKey(ctx, id)
	if virtfusion.IsNotFound(err) {
		err = nil // deleted meanwhile: the outcome is the same
	}
	h.audit(r, panel.ActSSHKeyDelete, "ssh-key:"+strconv.FormatInt(id, 10), name, err)
	if err != nil {
		return err
	}
	return httpx.NoContent(w)
}
