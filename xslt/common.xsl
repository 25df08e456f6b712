<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shared by every output (HTML pages, plain text, the catalogue's facts): the run's parameters, and functions for
  ids, titles, the date a document is filed under, names (register look-ups), dates and numbers.
  No templates here (but the tg:reading mode), so each output renders TEI in its own way.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tg="urn:telegrams:edition"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all"
    expand-text="yes">

  <!-- Set once per run by transform.py: the registers, and the catalogue of the corpus (one small record per
       document, written by facts.xsl, with each document's neighbours in date order). A page reads the catalogue
       only through the keys below, so its cost does not grow with the corpus. -->
  <xsl:param name="registers" as="document-node()?" select="()"/>
  <xsl:param name="catalogue" as="document-node()?" select="()"/>
  <!-- Set for each transformation: the id (page name) and file name of the document being transformed. -->
  <xsl:param name="document-id" as="xs:string" select="''"/>
  <xsl:param name="document-file" as="xs:string" select="''"/>

  <xsl:key name="entry" match="person | place | org | personGrp" use="@xml:id"/>
  <xsl:key name="id" match="*[@xml:id]" use="@xml:id"/>
  <xsl:key name="catalogue-doc" match="tg:doc" use="@id"/>
  <xsl:key name="catalogue-file" match="tg:doc" use="@file"/>
  <xsl:key name="catalogue-position" match="tg:position" use="@id"/>

  <!-- C1 control characters (U+0085 among them) and bidirectional overrides may stand in valid XML but have no
       place in a reading text: they could reorder or hide what readers and terminals show. Every output writes U+FFFD
       instead, so that they show as what they are. -->
  <xsl:character-map name="unsafe-characters">
    <xsl:output-character character="&#x0080;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0081;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0082;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0083;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0084;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0085;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0086;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0087;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0088;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0089;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x008A;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x008B;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x008C;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x008D;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x008E;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x008F;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0090;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0091;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0092;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0093;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0094;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0095;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0096;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0097;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0098;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x0099;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x009A;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x009B;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x009C;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x009D;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x009E;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x009F;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x202A;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x202B;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x202C;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x202D;" string="&#xFFFD;"/>
    <xsl:output-character character="&#x202E;" string="&#xFFFD;"/>
  </xsl:character-map>

  <!-- The edition's titles, description and labels of kinds, from metadata/edition.toml (editions/metadata.py). -->
  <xsl:param name="edition" as="document-node()?" select="()"/>
  <xsl:variable name="edition-title" as="xs:string" select="string(($edition/*/@title, 'A Digital Scholarly Edition')[1])"/>
  <xsl:variable name="edition-short-title" as="xs:string" select="string(($edition/*/@short-title, $edition-title)[1])"/>
  <xsl:variable name="edition-description" as="xs:string" select="normalize-space($edition/*/tg:description)"/>

  <!-- The edition's language written in Cyrillic (edition.toml languages), if any: Cyrillic quoted in English prose
       (notes, registers) is marked as that language for readers' screen readers and fonts. -->
  <xsl:variable name="cyrillic-language" as="xs:string?"
      select="($edition/*/tg:language[normalize-space() = ('ru', 'uk', 'be', 'bg', 'sr', 'mk', 'kk', 'mn')])[1] ! normalize-space()"/>

  <!-- A kind's label ("Ciphered telegram") or plural: from edition.toml [kinds.TYPE], else made from the value. -->
  <xsl:function name="tg:kind-label" as="xs:string">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:param name="plural" as="xs:boolean"/>
    <xsl:variable name="given" select="$edition/*/tg:kind[@type = $kind]"/>
    <xsl:variable name="words" select="normalize-space(translate($kind, '-_', '  '))"/>
    <xsl:variable name="label" select="if ($given/@label[normalize-space()]) then string($given/@label)
        else upper-case(substring($words, 1, 1)) || substring($words, 2)"/>
    <xsl:sequence select="if (not($plural)) then $label
        else if ($given/@plural[normalize-space()]) then string($given/@plural)
        else if (matches($label, '[^aeiou]y$')) then replace($label, 'y$', 'ies')
        else if (matches($label, '(s|x|ch|sh)$')) then $label || 'es' else $label || 's'"/>
  </xsl:function>

  <!-- ===== the document: id, file, kind, titles, date ===== -->

  <xsl:function name="tg:id" as="xs:string">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="if ($document-id) then $document-id else string(root($doc)/*/@xml:id)"/>
  </xsl:function>

  <xsl:function name="tg:file" as="xs:string">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="if ($document-file) then $document-file else tg:id($doc) || '.xml'"/>
  </xsl:function>

  <xsl:function name="tg:kind" as="xs:string" cache="yes">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="type" select="normalize-space(root($doc)/TEI/text/@type)"/>
    <xsl:sequence select="if ($type) then $type else 'text'"/>
  </xsl:function>

  <!-- Correspondence (telegrams, cables, letters: any kind but the editors' texts) that has a correspDesc. -->
  <xsl:function name="tg:is-correspondence" as="xs:boolean" cache="yes">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="not(tg:kind($doc) = ('commentary', 'introduction', 'text')) and exists(tg:sent($doc))"/>
  </xsl:function>

  <xsl:function name="tg:title" as="xs:string" cache="yes">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="titles" select="root($doc)/*/teiHeader/fileDesc/titleStmt/title"/>
    <xsl:variable name="main" select="($titles[@type = 'main'], $titles[not(@type = 'sub')], $titles)[1]"/>
    <xsl:sequence select="if ($main) then normalize-space($main) else tg:id($doc)"/>
  </xsl:function>

  <xsl:function name="tg:summary" as="element()?" cache="yes">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="header" select="root($doc)/*/teiHeader"/>
    <xsl:sequence select="($header/profileDesc/abstract, $header/fileDesc/sourceDesc//note[@type = 'summary'],
                           $header/encodingDesc/projectDesc)[1]"/>
  </xsl:function>

  <!-- The file of another document the summary describes (its @corresp), when it is not this one's. -->
  <xsl:function name="tg:summary-elsewhere" as="xs:string?">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="target" select="tokenize(normalize-space(tg:summary($doc)/@corresp), ' ')[1]"/>
    <xsl:variable name="file" select="if (contains($target, '#')) then substring-before($target, '#') else $target"/>
    <xsl:sequence select="if ($file and not($file = (tg:file($doc), tg:id($doc), tg:id($doc) || '.xml'))) then $file else ()"/>
  </xsl:function>

  <!-- The editors' caveats about a summary: its notes, shown apart from the summary's own words. -->
  <xsl:function name="tg:summary-caveats" as="element()*">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="tg:summary($doc)//note"/>
  </xsl:function>

  <!-- "Mao Zedong to Stalin, 7 November 1950" for telegrams; the title for anything else. -->
  <xsl:function name="tg:short-title" as="xs:string">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="from" select="tg:party(tg:sent($doc))"/>
    <xsl:variable name="to" select="tg:party(tg:received($doc))"/>
    <xsl:sequence select="if (tg:is-correspondence($doc) and $from and $to)
                          then $from || ' to ' || $to || ', ' || tg:action-date(tg:sent($doc))
                          else tg:title($doc)"/>
  </xsl:function>

  <!-- "2 of 2" when other documents of the run share this one's short title (the catalogue counts them), else
       empty: added to its heading and title, as the catalogue adds it to every link to it. -->
  <xsl:function name="tg:same-title" as="xs:string">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="if ($catalogue) then string(key('catalogue-position', tg:id($doc), $catalogue)[1]/@same-title) else ''"/>
  </xsl:function>

  <!-- The date a document is filed under: when it was sent, else its creation, else any date in its header. -->
  <xsl:function name="tg:sort-key" as="xs:string">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="header" select="root($doc)/*/teiHeader"/>
    <xsl:variable name="date" select="(tg:sent($doc)/date,
                                        $header/profileDesc/creation/date,
                                        $header/profileDesc/correspDesc//date,
                                        $header/fileDesc/sourceDesc//date)[1]"/>
    <xsl:sequence select="string(($date/@when, $date/@notBefore, $date/@from, $date/@notAfter, $date/@to)[1])"/>
  </xsl:function>

  <!-- The document's own correspDesc: preferably not one that describes only a telegram quoted inside it. -->
  <xsl:function name="tg:correspDesc" as="element()?" cache="yes">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="quoted" select="root($doc)//floatingText/@decls ! tokenize(., '\s+') ! tg:target-id(.)"/>
    <xsl:variable name="all" select="root($doc)/*/teiHeader/profileDesc/correspDesc"/>
    <xsl:sequence select="($all[not(@xml:id = $quoted)], $all)[1]"/>
  </xsl:function>

  <!-- The correspDesc a quoted text points to with @decls. -->
  <xsl:function name="tg:decls" as="element()?">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="ids" select="tokenize($element/@decls, '\s+') ! tg:target-id(.)"/>
    <xsl:sequence select="root($element)//correspDesc[@xml:id = $ids][1]"/>
  </xsl:function>

  <xsl:function name="tg:sent" as="element()?" cache="yes">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="tg:correspDesc($doc)/correspAction[@type = 'sent'][1]"/>
  </xsl:function>

  <xsl:function name="tg:received" as="element()?" cache="yes">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="tg:correspDesc($doc)/correspAction[@type = 'received'][1]"/>
  </xsl:function>

  <!-- ===== stable ids inside a page: blocks (paragraph-like) and mentions ===== -->

  <xsl:function name="tg:block-id" as="xs:string">
    <xsl:param name="block" as="element()"/>
    <xsl:sequence select="if ($block/@xml:id) then string($block/@xml:id) else tg:free-id($block, 'p' || tg:block-number($block))"/>
  </xsl:function>

  <!-- A generated id ("p3", "m12") that no xml:id of the document already holds: else marked apart ("p3_"). -->
  <xsl:function name="tg:free-id" as="xs:string">
    <xsl:param name="context" as="node()"/>
    <xsl:param name="candidate" as="xs:string"/>
    <xsl:sequence select="if (exists(key('id', $candidate, root($context)))) then $candidate || '_' else $candidate"/>
  </xsl:function>

  <!-- A language code fit for HTML's lang (BCP 47 in shape); anything else is left out rather than passed on. -->
  <xsl:function name="tg:lang-ok" as="xs:boolean">
    <xsl:param name="code" as="xs:string?"/>
    <xsl:sequence select="matches(string($code), '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$')"/>
  </xsl:function>

  <!-- The position of a paragraph-like block among all blocks of its (outermost) text, counted from 1. -->
  <xsl:function name="tg:block-number" as="xs:string">
    <xsl:param name="block" as="element()"/>
    <xsl:variable name="scope" select="($block/ancestor::text[not(ancestor::text)], $block/ancestor::standOff)[1]"/>
    <xsl:variable name="n" select="if ($scope) then tg:positions($scope, 'block')(generate-id($block)) else ()"/>
    <xsl:choose>
      <xsl:when test="exists($n)"><xsl:sequence select="string($n)"/></xsl:when>
      <xsl:otherwise>
        <xsl:number select="$block" level="any" count="p | ab | item | head | closer | opener | lg"
                    from="text[not(ancestor::text)] | standOff"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="tg:mention-id" as="xs:string">
    <xsl:param name="mention" as="element()"/>
    <xsl:variable name="scope" select="$mention/ancestor::text[not(ancestor::text)]"/>
    <xsl:variable name="n" select="if ($scope) then tg:positions($scope, 'mention')(generate-id($mention)) else ()"/>
    <xsl:variable name="counted">
      <xsl:if test="empty($n)">
        <xsl:number select="$mention" level="any" count="*[@ref]" from="text[not(ancestor::text)]"/>
      </xsl:if>
    </xsl:variable>
    <xsl:sequence select="tg:free-id($mention, 'm' || ($n, $counted)[1])"/>
  </xsl:function>

  <xsl:function name="tg:note-number" as="xs:integer">
    <xsl:param name="note" as="element()"/>
    <xsl:variable name="scope" select="$note/ancestor::text[not(ancestor::text)]"/>
    <xsl:variable name="n" select="if ($scope) then tg:positions($scope, 'note')(generate-id($note)) else ()"/>
    <xsl:variable name="counted">
      <xsl:if test="empty($n)">
        <xsl:number select="$note" level="any" count="note[not(ancestor::note)][not(@place = 'inline')]"
                    from="text[not(ancestor::text)]"/>
      </xsl:if>
    </xsl:variable>
    <xsl:sequence select="($n, xs:integer($counted))[1]"/>
  </xsl:function>

  <!-- Where each block, mention or note of a text stands among its kind, counted from 1 in document order as
       xsl:number level="any" counts them: worked out once per text (cache), not by walking the text for each. -->
  <xsl:function name="tg:positions" as="map(xs:string, xs:integer)" cache="yes">
    <xsl:param name="scope" as="element()"/>
    <xsl:param name="kind" as="xs:string"/>
    <xsl:variable name="nodes" select="if ($kind = 'block') then $scope//(p | ab | item | head | closer | opener | lg)
                                       else if ($kind = 'mention') then $scope//*[@ref]
                                       else tg:in-reading-order($scope//note[not(ancestor::note)][not(@place = 'inline')])"/>
    <xsl:sequence select="map:merge(for $i in 1 to count($nodes) return map{generate-id($nodes[$i]): $i})"/>
  </xsl:function>

  <!-- Notes in reading order: those of a translation first (it is read first), then the rest in document order. -->
  <xsl:function name="tg:in-reading-order" as="element()*">
    <xsl:param name="notes" as="element()*"/>
    <xsl:variable name="translation" select="$notes[1]/ancestor::text[not(ancestor::text)]/body/tg:translation-div(.)"/>
    <xsl:sequence select="($notes[ancestor::* intersect $translation], $notes[not(ancestor::* intersect $translation)])"/>
  </xsl:function>

  <!-- A body with an original and its translation side by side (divisions in two languages): the two divisions. -->
  <xsl:function name="tg:original-div" as="element()?">
    <xsl:param name="body" as="element()"/>
    <xsl:sequence select="if (count(distinct-values($body/div/@xml:lang)) lt 2) then ()
        else ($body/div[@xml:lang][@type = 'original'], $body/div[@xml:lang][not(starts-with(@xml:lang, 'en'))])[1]"/>
  </xsl:function>

  <xsl:function name="tg:translation-div" as="element()?">
    <xsl:param name="body" as="element()"/>
    <xsl:variable name="original" select="tg:original-div($body)"/>
    <xsl:sequence select="if ($original) then ($body/div[@xml:lang][not(. is $original)])[1] else ()"/>
  </xsl:function>

  <!-- The paragraph-like element a mention sits in (for "mentioned in ..., paragraph n" links). -->
  <xsl:function name="tg:block-of" as="element()?">
    <xsl:param name="node" as="element()"/>
    <xsl:sequence select="$node/ancestor-or-self::*[self::p or self::ab or self::item or self::head or self::closer
                                                     or self::opener or self::lg][1]"/>
  </xsl:function>

  <!-- ===== registers ===== -->

  <xsl:function name="tg:target-id" as="xs:string">
    <xsl:param name="ref" as="xs:string?"/>
    <xsl:variable name="first" select="tokenize(normalize-space($ref), ' ')[1]"/>
    <xsl:sequence select="if (contains($first, '#')) then substring-after($first, '#') else string($first)"/>
  </xsl:function>

  <!-- The file of another document a pointer names ("tg-1951-06-05-mao-stalin.xml#p3"), or "" (registers, web). -->
  <xsl:function name="tg:target-file" as="xs:string">
    <xsl:param name="target" as="xs:string?"/>
    <xsl:variable name="first" select="tokenize(normalize-space($target), ' ')[1]"/>
    <xsl:variable name="file" select="replace(if (contains($first, '#')) then substring-before($first, '#') else $first, '^(\./|\.\./tei/)', '')"/>
    <xsl:sequence select="if (matches($file, '^[^/:]+\.xml$') and $file ne 'registers.xml') then $file else ''"/>
  </xsl:function>

  <xsl:key name="catalogue-rel" match="tg:rel" use="@file"/>

  <xsl:function name="tg:entry" as="element()?" cache="yes">
    <xsl:param name="ref" as="xs:string?"/>
    <xsl:variable name="id" select="tg:target-id($ref)"/>
    <xsl:sequence select="if ($id and $registers) then key('entry', $id, $registers)[1] else ()"/>
  </xsl:function>

  <xsl:function name="tg:register-page" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="if ($entry/self::place) then 'places.html'
                          else if ($entry/self::org) then 'organisations.html' else 'persons.html'"/>
  </xsl:function>

  <!-- The register's normalized form of a name: the main (or first) name, its parts joined when it has parts. -->
  <xsl:function name="tg:entry-name" as="xs:string" cache="yes">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="names" select="$entry/(persName | placeName | orgName | name | geogName)"/>
    <xsl:variable name="main" select="($names[@type = ('normalized', 'main', 'reg', 'standard', 'preferred')], $names[not(@type)], $names)[1]"/>
    <xsl:sequence select="if ($main) then tg:name-string($main) else string($entry/@xml:id)"/>
  </xsl:function>

  <xsl:function name="tg:name-string" as="xs:string">
    <xsl:param name="name" as="element()"/>
    <xsl:sequence select="if ($name/*) then normalize-space(string-join($name//text(), ' '))
                          else normalize-space($name)"/>
  </xsl:function>

  <!-- The tooltip of a mention: normalized name and, for persons, life dates; for places, the country. -->
  <xsl:function name="tg:entry-label" as="xs:string" cache="yes">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="born" select="tg:year(($entry/birth/(@when, @notBefore, date/@when))[1])"/>
    <xsl:variable name="died" select="tg:year(($entry/death/(@when, @notBefore, date/@when))[1])"/>
    <xsl:variable name="life" select="if ($born or $died) then ' (' || $born || '–' || $died || ')' else ''"/>
    <xsl:sequence select="tg:entry-name($entry) || $life"/>
  </xsl:function>

  <xsl:function name="tg:year" as="xs:string">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:sequence select="if (matches(string($iso), '^-?\d{4}')) then replace($iso, '^(-?\d{4}).*$', '$1') else ''"/>
  </xsl:function>

  <!-- The normalized reading of an element as a plain string: corrections applied, notes left out. -->
  <xsl:function name="tg:reading" as="xs:string">
    <xsl:param name="element" as="node()?"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:apply-templates select="$element/node()" mode="tg:reading"/>
    </xsl:variable>
    <xsl:sequence select="normalize-space(string-join($parts))"/>
  </xsl:function>

  <xsl:template match="choice/sic | choice/orig | choice/abbr | note[not(@place = 'inline')]" mode="tg:reading"/>
  <xsl:template match="supplied" mode="tg:reading">[<xsl:apply-templates mode="tg:reading"/>]</xsl:template>
  <xsl:template match="*" mode="tg:reading"><xsl:apply-templates mode="tg:reading"/></xsl:template>
  <xsl:template match="p | ab | item | l | head | lb" mode="tg:reading"><xsl:text> </xsl:text><xsl:apply-templates mode="tg:reading"/><xsl:text> </xsl:text></xsl:template>
  <xsl:template match="lb[tg:in-word(.)]" mode="tg:reading"/>
  <xsl:template match="text()" mode="tg:reading"><xsl:value-of select="tg:joined(.)"/></xsl:template>

  <!-- A line, column or page break inside a word: said so (@break="no"), or, when @break is silent, written with no
       space on either side, between a letter and a small letter ("ma<lb/>terials", as the TCP texts have it). -->
  <xsl:function name="tg:in-word" as="xs:boolean">
    <xsl:param name="break" as="element()"/>
    <xsl:sequence select="$break/@break = 'no' or (not($break/@break = 'yes')
        and matches(string($break/preceding-sibling::node()[1][self::text()]), '\p{L}$')
        and matches(string($break/following-sibling::node()[1][self::text()]), '^\p{Ll}'))"/>
  </xsl:function>

  <!-- A text node beside a break inside a word: the layout whitespace there goes, so that
       "A<lb break="no"/>\n pollo" reads "Apollo". -->
  <xsl:function name="tg:joined" as="xs:string">
    <xsl:param name="text" as="text()"/>
    <xsl:variable name="after-break" select="exists($text/preceding-sibling::node()[1][self::lb or self::cb or self::pb][tg:in-word(.)])"/>
    <xsl:variable name="before-break" select="exists($text/following-sibling::node()[1][self::lb or self::cb or self::pb][tg:in-word(.)])"/>
    <xsl:variable name="start" select="if ($after-break) then replace($text, '^\s+', '') else string($text)"/>
    <xsl:sequence select="if ($before-break) then replace($start, '\s+$', '') else $start"/>
  </xsl:function>

  <!-- A correction whose word goes on after it ("correction<choice>...</choice>s"): its marker follows the word. -->
  <xsl:function name="tg:word-goes-on" as="xs:boolean">
    <xsl:param name="choice" as="element()"/>
    <xsl:sequence select="exists($choice[corr][sic]) and matches(string($choice/following-sibling::node()[1][self::text()]), '^\w')"/>
  </xsl:function>

  <!-- An encoded example (TEI's Examples namespace) as the markup it shows, without namespace declarations. -->
  <xsl:function name="tg:markup" as="xs:string">
    <xsl:param name="example" as="element()"/>
    <xsl:sequence select="if (not($example/*)) then string($example) (: markup given as text, in CDATA :)
        else replace(string-join($example/node() ! serialize(., map{'method': 'xml', 'omit-xml-declaration': true()})),
                     ' xmlns(:\w+)?=&quot;[^&quot;]*&quot;', '')"/>
  </xsl:function>

  <!-- The witnesses of a reading, by their sigla or names in the header ("#wA" -> "Witness A"). -->
  <xsl:function name="tg:witnesses" as="xs:string">
    <xsl:param name="reading" as="element()"/>
    <xsl:sequence select="string-join(tokenize(normalize-space($reading/@wit), ' ') ! (
        let $w := key('id', tg:target-id(.), root($reading))[1]
        return if ($w) then normalize-space(($w/@n, $w/abbr, $w)[1]) else tg:target-id(.)), ', ')"/>
  </xsl:function>

  <!-- ===== dates ===== -->

  <!-- "1950-11-08T02:00" -> "8 November 1950, 02:00"; partial dates ("1951-06", "1951") keep their precision. -->
  <xsl:function name="tg:format-date" as="xs:string">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:variable name="months" select="('January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
                                         'September', 'October', 'November', 'December')"/>
    <xsl:variable name="value" select="normalize-space($iso)"/>
    <xsl:variable name="day-part" select="if (contains($value, 'T')) then substring-before($value, 'T') else $value"/>
    <xsl:variable name="time" select="substring(substring-after($value, 'T'), 1, 5)"/>
    <xsl:variable name="parts" select="tokenize($day-part, '-')"/>
    <xsl:sequence select="
      if (not(matches($day-part, '^\d{4}(-\d{2}){0,2}$'))) then $value
      else string-join((
        if ($parts[3]) then string(xs:integer($parts[3])) else (),
        if ($parts[2]) then $months[xs:integer($parts[2])] else (),
        $parts[1]), ' ') || ($time[.] ! (', ' || .))"/>
  </xsl:function>

  <!-- The one reading of a <date> every output shows (titles, tables, timeline, text): exact, a span ("5–7 June
       1951"), or bounds ("between 5 and 7 June 1951"), with "(uncertain)" when @cert says so. -->
  <xsl:function name="tg:date-label" as="xs:string">
    <xsl:param name="date" as="element()"/>
    <xsl:variable name="cert" select="if ($date/@cert = ('low', 'medium', 'unknown')) then ' (uncertain)' else ''"/>
    <xsl:sequence select="
      if ($date/@when) then tg:format-date($date/@when) || $cert
      else if ($date/@from and $date/@to) then tg:format-range($date/@from, $date/@to, '–') || $cert
      else if ($date/@notBefore and $date/@notAfter)
        then 'between ' || tg:format-range($date/@notBefore, $date/@notAfter, ' and ') || $cert
      else if ($date/@from or $date/@notBefore) then 'not before ' || tg:format-date(($date/@from, $date/@notBefore)[1]) || $cert
      else if ($date/@to or $date/@notAfter) then 'not after ' || tg:format-date(($date/@to, $date/@notAfter)[1]) || $cert
      else normalize-space($date)"/>
  </xsl:function>

  <!-- Whether a date is less than certain: bounds instead of a day, or @cert below high. -->
  <xsl:function name="tg:date-uncertain" as="xs:boolean">
    <xsl:param name="date" as="element()"/>
    <xsl:sequence select="exists($date/(@notBefore, @notAfter)) or $date/@cert = ('low', 'medium', 'unknown')"/>
  </xsl:function>

  <!-- Two dates with what they share said once: "5 and 7 June 1951", "30 May and 2 June 1951". -->
  <xsl:function name="tg:format-range" as="xs:string">
    <xsl:param name="a" as="xs:string"/>
    <xsl:param name="b" as="xs:string"/>
    <xsl:param name="joiner" as="xs:string"/>
    <xsl:variable name="x" select="tokenize(tg:format-date($a), ' ')"/>
    <xsl:variable name="y" select="tokenize(tg:format-date($b), ' ')"/>
    <xsl:sequence select="
      if (not(matches($a, '^\d{4}-\d{2}-\d{2}$') and matches($b, '^\d{4}-\d{2}-\d{2}$')))
        then tg:format-date($a) || $joiner || tg:format-date($b)
      else if ($a = $b) then tg:format-date($a)
      else if (substring($a, 1, 7) = substring($b, 1, 7)) then $x[1] || $joiner || string-join($y, ' ')
      else if (substring($a, 1, 4) = substring($b, 1, 4))
        then $x[1] || ' ' || $x[2] || $joiner || string-join($y, ' ')
      else tg:format-date($a) || $joiner || tg:format-date($b)"/>
  </xsl:function>

  <!-- An ISO value fit for HTML's <time datetime>: a date, a month, a year or a local date-time. -->
  <xsl:function name="tg:datetime" as="xs:string?">
    <xsl:param name="date" as="element()"/>
    <xsl:variable name="when" select="string($date/@when)"/>
    <xsl:sequence select="if (matches($when, '^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?)?)?)?$')) then $when else ()"/>
  </xsl:function>

  <!-- ===== numbers ===== -->

  <xsl:function name="tg:format-number" as="xs:string">
    <xsl:param name="value" as="xs:string?"/>
    <xsl:sequence select="if ($value castable as xs:decimal) then format-number(xs:decimal($value), '#,##0.###')
                          else string($value)"/>
  </xsl:function>

  <!-- ===== correspondence actions ===== -->

  <!-- A correspAction's label for readers: known types in words, any other type from its value ("Repeated"). -->
  <xsl:function name="tg:action-label" as="xs:string">
    <xsl:param name="action" as="element()"/>
    <xsl:variable name="type" select="string($action/@type)"/>
    <xsl:variable name="known" select="map{'sent': 'Sent', 'received': 'Received', 'transmitted': 'Transmitted through',
        'forwarded': 'Forwarded to', 'redirected': 'Redirected to', 'deciphered': 'Deciphered', 'repeated': 'Repeated to',
        'info': 'For information', 'copy': 'Copy to', 'cc': 'Copy to'}"/>
    <xsl:sequence select="if (map:contains($known, $type)) then $known($type)
                          else if (normalize-space($type)) then tg:kind-label($type, false()) else 'Also'"/>
  </xsl:function>

  <!-- ===== people in correspondence, as plain strings (titles, index, text header) ===== -->

  <xsl:function name="tg:party" as="xs:string">
    <xsl:param name="action" as="element()?"/>
    <xsl:variable name="names" select="$action/(persName | orgName | name)"/>
    <!-- correspDesc already names the real persons in normalized short form ("Stalin", not "FILIPPOV") -->
    <xsl:sequence select="string-join(for $n in $names return normalize-space($n), ', ')"/>
  </xsl:function>

  <!-- A name as readers want it: the register's normalized form when the name points there, else its text. -->
  <xsl:function name="tg:display-name" as="xs:string">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="entry" select="tg:entry($name/@ref)"/>
    <xsl:sequence select="if ($entry) then tg:entry-name($entry) else normalize-space($name)"/>
  </xsl:function>

  <xsl:function name="tg:place" as="xs:string">
    <xsl:param name="action" as="element()?"/>
    <xsl:sequence select="string-join(for $n in $action/placeName return tg:display-name($n), ', ')"/>
  </xsl:function>

  <xsl:function name="tg:action-date" as="xs:string">
    <xsl:param name="action" as="element()?"/>
    <xsl:sequence select="string-join(for $d in $action/date return tg:date-label($d), '; ')"/>
  </xsl:function>

  <!-- ===== source description ===== -->

  <xsl:function name="tg:source-bibl" as="element()?">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="source" select="root($doc)/*/teiHeader/fileDesc/sourceDesc"/>
    <xsl:sequence select="($source//msDesc, $source//biblStruct, $source//bibl, $source/p)[1]"/>
  </xsl:function>

  <xsl:function name="tg:source-url" as="xs:string?">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="source" select="root($doc)/*/teiHeader/fileDesc/sourceDesc"/>
    <xsl:sequence select="($source//(ref/@target, ptr/@target, idno[@type = ('URL', 'url', 'URI', 'uri')])
                           [matches(normalize-space(.), '^https?://')])[1] ! normalize-space(.)"/>
  </xsl:function>

  <xsl:function name="tg:language-name" as="xs:string">
    <xsl:param name="code" as="xs:string?"/>
    <xsl:sequence select="if (starts-with($code, 'ru')) then 'Russian' else if (starts-with($code, 'en')) then 'English'
                          else if (starts-with($code, 'zh')) then 'Chinese' else if (starts-with($code, 'ko')) then 'Korean'
                          else string($code)"/>
  </xsl:function>
</xsl:stylesheet>
