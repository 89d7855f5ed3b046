package extract

import (
	"regexp"
	"testing"
)

// Every rule's expression compiles (they compile on first use, so a bad one
// would otherwise panic only when a page needs it).
func TestRegexpsCompile(t *testing.T) {
	for _, re := range []func() *regexp.Regexp{teaserEndRe, furniturePhraseRe, metaLabelRe, callToActionRe,
		creditLineRe, apPhotoRe, imageSuffixRe, sourceSuffixRe, dateWordRe, linkRe, fenceRe, listRe,
		headingRe, tableSepRe, quotePrefix, bylineRe} {
		if re().String() == "" {
			t.Error("empty expression")
		}
	}
}
