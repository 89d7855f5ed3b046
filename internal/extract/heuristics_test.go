package extract

import "testing"

// Each heuristic is checked on both sides: text it must catch and article
// text it must leave alone.
func TestHeuristics(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) bool
		yes  []string
		no   []string
	}{
		{"isDateLine", isDateLine,
			[]string{"Updated Nov 19, 6:55 AM; Posted Nov 19, 6:51 AM", "PUBLISHED: 10:48, Tue, Nov 19, 2019 | UPDATED: 11:05, Tue, Nov 19, 2019",
				"segunda-feira, 22 de janeiro de 2018 às 0:13", "02 Ago 2017", "19.11.2019, 08:57", "Published 4:00 am CST, Wednesday, November 20, 2019",
				"November 19, 2019 | 4:20am | Updated November 19, 2019 | 9:32pm", "Updated Nov. 19, 2019 8:21 am ET / Original Nov. 19, 2019 8:02 am ET"},
			[]string{"The bridge opened on March 3, 2019 after years of delays.", "March", "2019 was a hard year for the harbour.", "Updated"}},
		{"isMetaLine", isMetaLine,
			[]string{"05/10/2018 - Publicado por: Clarissa Borba - Categoria: Saúde - Tags: sad", "Posted by: Sam - Category: News"},
			[]string{"Category: the council could not agree which one applied.", "The author said: nothing."}},
		{"isFurnitureText", isFurnitureText,
			[]string{"Advertisement", "Read more: Harbour fees rise", "Related stories", "Sign up for our newsletter", "14 comments",
				"Don't miss", "You may also like...", "Image 1 of 9", "This slideshow requires JavaScript.", "Lire aussi", "2.289 letture",
				"By", "Text size", "Write to Al Root at allen.root@dowjones.com", "Via SyndiGate.info", "Enlarge Image", "More:",
				"Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.", "Click here to subscribe to The Paradigm Newsletter"},
			[]string{"Read more books, the librarian told the children, and you will never be bored on a rainy day.",
				"Related to that, the council also voted on the harbour fees.", "Comments from residents were mostly positive.", "Via the harbour road, the trip takes about an hour.", "By then it was too late.",
				"More than half the residents came.", "Follow the money, the auditor told the council on Tuesday.", "Click here to see the map."}},
		{"isCreditLine", isCreditLine,
			[]string{"Photo: Lee Chan", "(AP Photo/Jane Roe)", "Getty Images", "Maria Lopez/Reuters", "Natalie Naccache | Bloomberg | Getty Images",
				"© Jean Martin", "Foto: dpa", "Boats in the harbour (Image: GETTY)", "Scooter Braun at home. (Photo by Kevin Mazur/Getty Images for Ithaca)",
				"The first global geologic map of Titan. (NASA/JPL-Caltech/ASU)"},
			[]string{"The photo agency Getty Images said it had licensed the pictures.", "Reuters reported the deal on Monday, citing two sources.",
				"Photography was banned inside the chamber.", "The protocol is described in the standard (and/or its annex)",
				"The vote was close (7/2)."}},
		{"isBylineText", func(s string) bool { return isBylineText(s, "Dana Whitfield") },
			[]string{"By Dana Whitfield", "Dana Whitfield", "Par Claire Dubois", "Von Anna Schmidt und Jonas Weber"},
			[]string{"By Tuesday the vote was over.", "By the end of the meeting, everyone had spoken at least once and most had spoken twice."}},
		{"meaningfulAlt", func(s string) bool { return meaningfulAlt(s, "Council Votes") },
			[]string{"Fishing boats moored in the old harbour"},
			[]string{"", "image", "DSC_0042.jpg", "Council Votes", "photo of"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range tt.yes {
				if !tt.fn(s) {
					t.Errorf("%s(%q) = false, want true", tt.name, s)
				}
			}
			for _, s := range tt.no {
				if tt.fn(s) {
					t.Errorf("%s(%q) = true, want false", tt.name, s)
				}
			}
		})
	}
}
