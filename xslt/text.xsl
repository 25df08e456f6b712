<?xml version="1.0" encoding="UTF-8"?>
<!--
  Plain-text edition of one document: a header block with the metadata, the reading text (corrections applied,
  the translator's insertions in brackets, notes as numbered endnotes), the original as its own section.

  Output is a sequence of logical lines, one per paragraph; text.py wraps them at 72 columns. A TAB in a line marks
  where a hanging indent starts: the wrapped continuation lines are indented to that column.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tg="urn:telegrams:edition"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all"
    expand-text="yes">

  <xsl:import href="common.xsl"/>

  <xsl:output method="text" encoding="UTF-8" use-character-maps="unsafe-characters"/>

  <xsl:variable name="NL" as="xs:string" select="'&#10;'"/>
  <xsl:variable name="TAB" as="xs:string" select="'&#9;'"/>
  <xsl:variable name="rule" as="xs:string" select="string-join((1 to 72) ! '-')"/>
  <xsl:variable name="double-rule" as="xs:string" select="string-join((1 to 72) ! '=')"/>

  <xsl:template match="/">
    <xsl:variable name="body" select="*/text/body"/>
    <xsl:variable name="parallel" select="count(distinct-values($body/div/@xml:lang)) ge 2"/>
    <xsl:variable name="original" select="if ($parallel) then ($body/div[@xml:lang][@type = 'original'],
                                           $body/div[@xml:lang][not(starts-with(@xml:lang, 'en'))])[1] else ()"/>
    <xsl:value-of select="$double-rule, $NL" separator=""/>
    <xsl:call-template name="header"/>
    <xsl:value-of select="$double-rule, $NL" separator=""/>
    <xsl:call-template name="section">
      <xsl:with-param name="title" select="if ($parallel) then tg:language-name($body/div[@xml:lang][not(. is $original)][1]/@xml:lang) || ' translation' else 'Text'"/>
    </xsl:call-template>
    <xsl:apply-templates select="*/text/(front, body, back)">
      <xsl:with-param name="skip" select="$original" tunnel="yes"/>
    </xsl:apply-templates>
    <xsl:call-template name="endnotes">
      <xsl:with-param name="notes" select="*/text//note[not(ancestor::note)][not(@place = 'inline')][not(ancestor::* intersect $original)]"/>
    </xsl:call-template>
    <xsl:if test="$original">
      <xsl:call-template name="section">
        <xsl:with-param name="title" select="tg:language-name($original/@xml:lang) || ' original'"/>
      </xsl:call-template>
      <xsl:apply-templates select="$original"/>
      <xsl:call-template name="endnotes">
        <xsl:with-param name="notes" select="$original//note[not(ancestor::note)][not(@place = 'inline')]"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template name="section">
    <xsl:param name="title" as="xs:string"/>
    <xsl:value-of select="$NL, upper-case($title), $NL, $rule, $NL, $NL" separator=""/>
  </xsl:template>

  <!-- ===== header block ===== -->

  <xsl:template name="header">
    <xsl:variable name="doc" select="."/>
    <xsl:value-of select="tg:title(.), $NL, $NL" separator=""/>
    <xsl:variable name="ms" select="*/teiHeader/fileDesc/sourceDesc//msIdentifier"/>
    <xsl:variable name="bibl" select="(*/teiHeader/fileDesc/sourceDesc/bibl)[1]"/>
    <xsl:variable name="correspDesc" select="tg:correspDesc(.)"/>
    <xsl:call-template name="field"><xsl:with-param name="label" select="'Document'"/>
      <xsl:with-param name="value" select="tg:id(.)"/></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="label" select="'Kind'"/>
      <xsl:with-param name="value" select="tg:kind-label(tg:kind(.), false())"/></xsl:call-template>
    <xsl:for-each select="$correspDesc/correspAction">
      <xsl:call-template name="field">
        <xsl:with-param name="label" select="tg:action-label(.)"/>
        <xsl:with-param name="value" select="string-join((tg:party(.), tg:place(.), tg:action-date(.))[.], ', ')"/>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:call-template name="field"><xsl:with-param name="label" select="'Cipher no.'"/>
      <xsl:with-param name="value" select="(*/text//idno[@type = ('telegram', 'cipher', 'incoming')])[1]"/></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="label" select="'Outgoing no.'"/>
      <xsl:with-param name="value" select="(*/text//idno[@type = 'outgoing'])[1]"/></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="label" select="'Archive'"/>
      <xsl:with-param name="value" select="string-join(($ms/repository ! tg:display-name(.), $ms/settlement, $ms/idno) ! normalize-space(.), ', ')"/></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="label" select="'Published by'"/>
      <xsl:with-param name="value" select="string-join(($bibl/publisher, $bibl/idno[@type = 'record'] ! ('record ' || .)) ! normalize-space(.), ', ')"/></xsl:call-template>
    <xsl:for-each select="tg:source-url(.)">
      <xsl:value-of select="'Record URL:', $NL, '  ', ., $NL" separator=""/>
    </xsl:for-each>
    <xsl:for-each select="*/teiHeader/fileDesc/sourceDesc//note[@type = 'provenance']">
      <xsl:call-template name="field"><xsl:with-param name="label" select="'Provenance'"/>
        <xsl:with-param name="value" select="tg:inline(.)"/></xsl:call-template>
    </xsl:for-each>
    <xsl:call-template name="field"><xsl:with-param name="label" select="'Summary'"/>
      <xsl:with-param name="value" select="tg:summary-elsewhere(.) ! ('(of another document, ' || . || ')'), tg:summary(.) ! tg:inline(.)"/></xsl:call-template>
    <xsl:for-each select="tg:summary-caveats(.)">
      <xsl:call-template name="field"><xsl:with-param name="label" select="'Editors'"/>
        <xsl:with-param name="value" select="tg:inline(.)"/></xsl:call-template>
    </xsl:for-each>
    <xsl:call-template name="field"><xsl:with-param name="label" select="'Edition'"/>
      <xsl:with-param name="value" select="$edition-title || '. ' || string-join(*/teiHeader/fileDesc/publicationStmt/availability/licence ! normalize-space(.), ' ')"/></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="label" select="'Reading'"/>
      <xsl:with-param name="value" select="'corrections applied and marked [corr.; source: ...]; [ ] insertions of the translator or the editors; [n] endnotes.'"/></xsl:call-template>
  </xsl:template>

  <xsl:template name="field">
    <xsl:param name="label" as="xs:string?"/>
    <xsl:param name="value" as="item()*"/>
    <xsl:variable name="text" select="normalize-space(string-join($value ! string(.), ' '))"/>
    <xsl:if test="$text">
      <xsl:variable name="head" select="($label, 'Note')[1] || ':'"/>
      <xsl:value-of select="$head, string-join((1 to max((1, 14 - string-length($head)))) ! ' '), $TAB, $text, $NL" separator=""/>
    </xsl:if>
  </xsl:template>

  <!-- ===== blocks: each becomes one logical line ===== -->

  <xsl:template match="text | front | body | back | group | div | div1 | div2 | div3 | div4 | div5 | div6 | div7
                       | quote[floatingText] | floatingText/body">
    <xsl:param name="skip" as="element()*" tunnel="yes" select="()"/>
    <xsl:if test="not(. intersect $skip)">
      <xsl:apply-templates select="* | text()[normalize-space()]"/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="head | p | ab | salute | signed | dateline | seg[parent::opener or parent::closer] | byline
                       | docAuthor | docDate | trailer | l | label[not(parent::list)] | addrLine | row | speaker">
    <xsl:call-template name="line"/>
    <xsl:if test="not(parent::opener or parent::closer or parent::lg or parent::address or self::row)">
      <xsl:value-of select="$NL"/>
    </xsl:if>
  </xsl:template>

  <!-- A table: its heading, then a line per row ("cell | cell"). -->
  <xsl:template match="table">
    <xsl:apply-templates select="head, row"/>
    <xsl:value-of select="$NL"/>
  </xsl:template>

  <!-- A figure is said, not drawn: "[Figure: heading. description]"; embedded data is never printed. -->
  <xsl:template match="figure">
    <xsl:variable name="words" select="normalize-space(string-join((tg:inline-of(head), tg:inline-of(figDesc),
                                                                    tg:inline-of((graphic | media)/desc))[.], '. '))"/>
    <xsl:value-of select="tg:indent(.) || '[Figure' || ($words[.] ! (': ' || .)) || ']' || $NL || $NL"/>
    <xsl:apply-templates select="* except (head | figDesc | graphic | media | binaryObject)"/>
  </xsl:template>

  <!-- Examples and code keep their lines, indented by four columns; the indent all their lines share in the source
       goes, so that deeply nested examples still fit the width. -->
  <xsl:template match="eg | *:egXML">
    <xsl:variable name="code" select="if (self::eg) then string(.) else tg:markup(.)"/>
    <xsl:variable name="lines" select="tokenize(replace($code, '\t', '    '), '\n')[normalize-space()]"/>
    <xsl:variable name="shared" select="min($lines ! (string-length(.) - string-length(replace(., '^ +', ''))))"/>
    <xsl:for-each select="$lines">
      <xsl:value-of select="'    ' || substring(., $shared + 1) || $NL"/>
    </xsl:for-each>
    <xsl:value-of select="$NL"/>
  </xsl:template>

  <!-- Lists of persons, places...: one entry a line. -->
  <xsl:template match="listPerson | listPlace | listOrg | listEvent | listNym | listObject">
    <xsl:apply-templates select="head"/>
    <xsl:for-each select="* except head">
      <xsl:value-of select="tg:indent(.) || '  - ' || $TAB || tg:inline(.) || $NL"/>
    </xsl:for-each>
    <xsl:value-of select="$NL"/>
  </xsl:template>

  <xsl:template match="opener | closer | postscript | lg | address | list | argument | epigraph | sp">
    <xsl:apply-templates select="* | text()[normalize-space()]"/>
    <xsl:if test="not(self::list)"><xsl:value-of select="$NL"/></xsl:if>
  </xsl:template>

  <!-- Text directly in a container of lines (a closer or a division with loose words) still gets its line. -->
  <xsl:template match="text()[normalize-space()]">
    <xsl:value-of select="tg:indent(.) || normalize-space(.) || $NL"/>
  </xsl:template>

  <xsl:template match="list/item | list/label">
    <xsl:variable name="content" select="tg:inline(.)"/>
    <!-- The item's own number ("1. ") starts a hanging indent. -->
    <xsl:value-of select="tg:indent(.) || '  ' || replace($content, '^(\(?[0-9A-Za-z]{1,3}[.)]\s)', '$1' || $TAB) || $NL"/>
    <xsl:if test="not(following-sibling::*)"><xsl:value-of select="$NL"/></xsl:if>
  </xsl:template>

  <xsl:template match="floatingText">
    <xsl:variable name="described" select="tg:decls(.)"/>
    <xsl:variable name="label" select="if ($described)
        then ': ' || string-join((tg:party($described/correspAction[@type = 'sent']),
                                 tg:party($described/correspAction[@type = 'received']) ! ('to ' || .))[.], ' ')
             || ($described/correspAction[@type = 'sent']/date ! (', ' || tg:date-label(.)))
        else ''"/>
    <xsl:value-of select="tg:indent(.) || '[Quoted ' || (if (@type = 'telegram') then 'telegram' else 'text') || $label || ']' || $NL || $NL"/>
    <xsl:apply-templates select="*"/>
    <xsl:value-of select="tg:indent(.) || '[End of the quoted ' || (if (@type = 'telegram') then 'telegram' else 'text') || ']' || $NL || $NL"/>
  </xsl:template>

  <!-- A note at block level: the translator's inline note as it stands, any other as its endnote marker. -->
  <xsl:template match="note">
    <xsl:value-of select="tg:indent(.) || (if (@place = 'inline') then '[' || tg:inline(.) || ']'
                                           else '[' || tg:note-number(.) || ']') || $NL"/>
  </xsl:template>

  <!-- Gaps and page breaks between blocks show as they do inside a line: "[signature]", "[sheet 2]". -->
  <xsl:template match="gap | pb">
    <xsl:variable name="shown" as="xs:string*"><xsl:apply-templates select="." mode="inline"/></xsl:variable>
    <xsl:value-of select="tg:indent(.) || normalize-space(string-join($shown)) || $NL || $NL"/>
  </xsl:template>

  <!-- Anything else at block level: its text as a line (a foreign TEI text loses nothing). -->
  <xsl:template match="*">
    <xsl:call-template name="line"/>
    <xsl:value-of select="$NL"/>
  </xsl:template>

  <xsl:template match="teiHeader | standOff | facsimile | sourceDoc | fw[@type = 'pageNum']"/>
  <xsl:template match="text()"/>

  <xsl:template name="line">
    <xsl:variable name="content" select="tg:inline(.)"/>
    <xsl:if test="$content">
      <xsl:value-of select="tg:indent(.) || $content || $NL"/>
    </xsl:if>
  </xsl:template>

  <!-- Quoted texts are indented by four columns. -->
  <xsl:function name="tg:indent" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="string-join($node/ancestor::floatingText ! '    ')"/>
  </xsl:function>

  <xsl:function name="tg:inline" as="xs:string">
    <xsl:param name="element" as="node()"/>
    <xsl:variable name="spaced" select="not($element/text()[normalize-space()])"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:for-each select="$element/node()">
        <xsl:apply-templates select="." mode="inline"/>
        <xsl:if test="$spaced and self::*"><xsl:text> </xsl:text></xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="normalize-space(string-join($parts))"/>
  </xsl:function>

  <!-- ===== phrase level: the reading text ===== -->

  <xsl:template match="text()" mode="inline">
    <xsl:value-of select="tg:joined(.)"/>
  </xsl:template>

  <!-- A page break or a correction inside a word is said after the word, which reads whole: "hillside [sheet 12]",
       "corrections [corr.; source: boob]". -->
  <xsl:template match="pb[tg:in-word(.)]" mode="inline"/>
  <xsl:template match="text()[preceding-sibling::node()[1][self::pb[tg:in-word(.)] or self::choice[tg:word-goes-on(.)]]]"
                mode="inline" priority="1">
    <xsl:variable name="text" select="tg:joined(.)"/>
    <xsl:variable name="word" select="string(tokenize($text, '\s')[1])"/>
    <xsl:variable name="before" select="preceding-sibling::node()[1]"/>
    <xsl:value-of select="$word || ' ' || (if ($before/self::pb) then tg:pb-label($before) else tg:corr-mark($before))
                          || substring($text, string-length($word) + 1)"/>
  </xsl:template>

  <xsl:function name="tg:corr-mark" as="xs:string">
    <xsl:param name="choice" as="element()"/>
    <xsl:sequence select="'[corr.; source: ' || normalize-space(string-join($choice/sic[1]//text())) || ']'"/>
  </xsl:function>

  <xsl:template match="choice" mode="inline">
    <xsl:apply-templates select="(corr, reg, expan, seg, sic, orig, abbr)[1]" mode="inline"/>
  </xsl:template>

  <!-- An editors' correction is marked, with what the source reads: "Kim Il Sung [corr.; source: Kim II Sung]". -->
  <xsl:template match="choice[corr][sic]" mode="inline">
    <xsl:apply-templates select="corr[1]" mode="inline"/>
    <xsl:if test="not(tg:word-goes-on(.))"><xsl:value-of select="' ' || tg:corr-mark(.)"/></xsl:if>
  </xsl:template>

  <!-- A summary's notes are the editors' caveats: printed apart from it, under their own label. -->
  <xsl:template match="abstract//note | sourceDesc//note[@type = 'summary']//note" mode="inline" priority="3"/>

  <xsl:template match="supplied" mode="inline">[<xsl:apply-templates mode="inline"/>]</xsl:template>

  <xsl:template match="gap" mode="inline">
    <xsl:variable name="what" select="normalize-space(string-join((desc, @reason[not(../desc)] ! translate(., '-', ' ')), ' '))"/>
    <xsl:value-of select="'[' || ($what[.], '…')[1] || ']'"/>
  </xsl:template>

  <xsl:template match="note[@place = 'inline']" mode="inline">[<xsl:apply-templates mode="inline"/>]</xsl:template>

  <xsl:template match="note" mode="inline">
    <xsl:value-of select="'[' || tg:note-number(.) || ']'"/>
  </xsl:template>

  <xsl:template match="note//note" mode="inline" priority="2"> (<xsl:apply-templates mode="inline"/>)</xsl:template>

  <xsl:template match="lb" mode="inline"><xsl:text> </xsl:text></xsl:template>
  <xsl:template match="lb[tg:in-word(.)]" mode="inline"/>

  <!-- An encoded example inside a line reads as its markup. -->
  <xsl:template match="*:egXML" mode="inline"><xsl:value-of select="' ' || tg:markup(.) || ' '"/></xsl:template>

  <!-- The apparatus: the lemma, then the readings with their witnesses, "quickly [A; slowly B]". -->
  <xsl:template match="app" mode="inline">
    <xsl:variable name="first" select="(lem, rdg)[1]"/>
    <xsl:apply-templates select="$first/node()" mode="inline"/>
    <xsl:variable name="others" as="xs:string*">
      <xsl:for-each select="$first[@wit], (rdg | rdgGrp/rdg) except $first">
        <xsl:sequence select="normalize-space((if (. is $first) then '' else tg:inline(.)) || ' ' || tg:witnesses(.))"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:value-of select="' [' || string-join($others, '; ') || ']'"/>
  </xsl:template>

  <xsl:template match="graphic | media | binaryObject" mode="inline">
    <xsl:value-of select="' [' || (if (self::media) then 'media' else 'image') || string-join(desc ! (': ' || tg:inline(.))) || '] '"/>
  </xsl:template>

  <!-- A formula is set apart from the words beside it. -->
  <xsl:template match="formula" mode="inline">
    <xsl:text> </xsl:text><xsl:next-match/><xsl:text> </xsl:text>
  </xsl:template>

  <xsl:template match="pb" mode="inline"> {tg:pb-label(.)} </xsl:template>

  <xsl:function name="tg:pb-label" as="xs:string">
    <xsl:param name="pb" as="element()"/>
    <xsl:sequence select="'[' || (if ($pb/@n) then 'sheet ' || $pb/@n else 'page break') || ']'"/>
  </xsl:function>

  <xsl:template match="cell" mode="inline">
    <xsl:if test="preceding-sibling::cell"> | </xsl:if>
    <xsl:apply-templates mode="inline"/>
  </xsl:template>

  <!-- Block-level elements met inside a line (paragraphs in a list item, in a note) are separated by a space. -->
  <xsl:template match="p | ab | item | l | head | row" mode="inline">
    <xsl:text> </xsl:text>
    <xsl:next-match/>
    <xsl:text> </xsl:text>
  </xsl:template>

  <!-- Analyses and links: nothing to read; if they hold words after all, say that something is not shown. -->
  <xsl:template match="anchor | milestone | cb | interp | interpGrp | link | linkGrp | join | joinGrp | alt | altGrp
                       | span | spanGrp | certainty | precision | respons | index | fsDecl | fs | f | fLib | fvLib
                       | timeline | when | witDetail" mode="#default inline">
    <xsl:if test="normalize-space(.)">{' [' || local-name() || ': not shown] '}</xsl:if>
  </xsl:template>

  <xsl:template match="subst" mode="inline"><xsl:apply-templates mode="inline"/></xsl:template>

  <!-- What happens in speech without words (an incident, a gesture, a pause) is said in brackets. -->
  <xsl:template match="incident | kinesic | vocal | pause | shift" mode="inline">
    <xsl:value-of select="' [' || (normalize-space(desc)[.], local-name())[1] || '] '"/>
  </xsl:template>

  <!-- Children that are all elements (a tree's labels, a person's names and dates) are kept apart by a space. -->
  <xsl:template match="*" mode="inline">
    <xsl:choose>
      <xsl:when test="text()[normalize-space()]"><xsl:apply-templates mode="inline"/></xsl:when>
      <xsl:otherwise>
        <xsl:for-each select="node()">
          <xsl:apply-templates select="." mode="inline"/>
          <xsl:if test="self::* and following-sibling::*"><xsl:text> </xsl:text></xsl:if>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:function name="tg:inline-of" as="xs:string*">
    <xsl:param name="elements" as="element()*"/>
    <xsl:sequence select="$elements ! tg:inline(.)"/>
  </xsl:function>

  <!-- ===== endnotes ===== -->

  <xsl:template name="endnotes">
    <xsl:param name="notes" as="element()*"/>
    <xsl:if test="$notes">
      <xsl:call-template name="section"><xsl:with-param name="title" select="'Notes'"/></xsl:call-template>
      <xsl:for-each select="tg:in-reading-order($notes)">
        <xsl:variable name="by" select="tg:target-id(@resp)"/>
        <xsl:variable name="resp" select="if ($by) then (root(.)//respStmt[@xml:id = $by])[1]/(orgName, persName, name)[1] else ()"/>
        <xsl:value-of select="'[' || tg:note-number(.) || '] ' || $TAB || tg:inline(.)
                              || ($resp ! (' (' || normalize-space(.) || ')')) || $NL || $NL"/>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
