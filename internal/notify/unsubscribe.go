package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
)

// UnsubscribePath is the API route a one-click unsubscribe link points at
// (GET shows a confirmation, POST with List-Unsubscribe=One-Click from
// mail clients per RFC 8058 unsubscribes). The route is not wired yet.
const UnsubscribePath = "/api/notifications/unsubscribe"

// UnsubscribeToken signs userID with key (the session key): anyone holding
// the link can turn off that customer's non-essential mail, and nothing
// else. The prefix keeps these MACs apart from other uses of the key.
func UnsubscribeToken(key []byte, userID string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("vfpanel-unsubscribe\x00" + userID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// VerifyUnsubscribe reports whether token was made by UnsubscribeToken for
// userID with key, in constant time.
func VerifyUnsubscribe(key []byte, userID, token string) bool {
	if len(key) == 0 || userID == "" {
		return false
	}
	return hmac.Equal([]byte(token), []byte(UnsubscribeToken(key, userID)))
}

// UnsubscribeURL is the link for userID's non-essential mail.
func UnsubscribeURL(publicURL string, key []byte, userID string) string {
	return publicURL + UnsubscribePath + "?" + url.Values{"u": {userID}, "t": {UnsubscribeToken(key, userID)}}.Encode()
}
