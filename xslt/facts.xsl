<?xml version="1.0" encoding="UTF-8"?>
<!--
  What the corpus-wide pages need to know about one document, read once per document in the run's first pass:
  its catalogue record (id, kind, the date it is filed under, titles, correspondents, summary) and, when asked,
  every mention of a register entry in its text (where it stands and how it reads). site.py gathers the records
  into the catalogue (home page, previous/next, links between documents) and the mentions into the list the
  register pages read, so no page ever has to look through the whole corpus.

  Output: <tg:facts><tg:doc .../><tg:mentions register="persons.html" .../>...</tg:facts>, in the namespace
  urn:telegrams:edition.
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

  <xsl:output method="xml" encoding="UTF-8" omit-xml-declaration="yes" indent="no"/>

  <!-- The plain-text edition needs only the records (for the order of corpus.txt); the site needs the mentions too. -->
  <xsl:param name="with-mentions" as="xs:boolean" select="true()"/>

  <xsl:template match="/">
    <tg:facts>
      <xsl:variable name="sent-date" select="tg:sent(.)/date[1]"/>
      <tg:doc id="{tg:id(.)}" file="{tg:file(.)}" kind="{tg:kind(.)}" correspondence="{tg:is-correspondence(.)}"
              sort-key="{tg:sort-key(.)}" earliest="{($sent-date/(@when, @from, @notBefore, @to, @notAfter))[1]}"
              latest="{($sent-date/(@when, @to, @notAfter, @from, @notBefore))[1]}">
        <tg:title>{tg:title(.)}</tg:title>
        <tg:short-title>{tg:short-title(.)}</tg:short-title>
        <tg:from>{tg:party(tg:sent(.))}</tg:from>
        <tg:to>{tg:party(tg:received(.))}</tg:to>
        <xsl:for-each select="(tg:sent(.), tg:received(.))/(persName | orgName | name)">
          <tg:correspondent>{normalize-space(.)}</tg:correspondent>
        </xsl:for-each>
        <xsl:for-each select="$sent-date">
          <tg:sent datetime="{tg:datetime(.)}" uncertain="{tg:date-uncertain(.)}">{tg:date-label(.)}</tg:sent>
        </xsl:for-each>
        <xsl:for-each select="tg:correspDesc(.)/correspAction[@type = 'transmitted']">
          <tg:via>{tg:party(.)}</tg:via>
        </xsl:for-each>
        <xsl:for-each select="tg:summary(.)">
          <tg:summary blank="{not(normalize-space(tg:reading(.)))}" of="{tg:summary-elsewhere(.)}">{tg:reading(.)}</tg:summary>
        </xsl:for-each>
        <!-- how it stands to other documents: its correspContext, and the documents its text points to -->
        <xsl:for-each select="tg:correspDesc(.)/correspContext/(ref | ptr)[@target]">
          <tg:rel type="{(@type[normalize-space()], 'related')[1]}" file="{tg:target-file(@target)}"/>
        </xsl:for-each>
        <xsl:for-each select="*/text//(ref | ptr)[@target][not(ancestor::note)][tg:target-file(@target)]">
          <tg:rel type="cites" file="{tg:target-file(@target)}"/>
        </xsl:for-each>
        <xsl:for-each select="tg:summary-caveats(.)">
          <tg:caveat>{tg:reading(.)}</tg:caveat>
        </xsl:for-each>
      </tg:doc>
      <xsl:if test="$with-mentions">
        <!-- One tg:mentions per register page, so that each page needs only its own. -->
        <xsl:variable name="doc" select="."/>
        <xsl:for-each-group select="*/text//*[@ref][exists(tg:entry(@ref))]" group-by="tg:register-page(tg:entry(@ref))">
          <tg:mentions register="{current-grouping-key()}" doc="{tg:id($doc)}" label="{tg:doc-label($doc)}" sort-key="{tg:sort-key($doc)}">
            <xsl:for-each select="current-group()">
              <tg:m entry="{tg:target-id(@ref)}" id="{tg:mention-id(.)}" where="{tg:where(.)}">
                <xsl:for-each select="ancestor-or-self::*[@xml:lang][1]/@xml:lang">
                  <xsl:attribute name="lang" select="."/>
                </xsl:for-each>
                <xsl:value-of select="tg:reading(.)"/>
              </tg:m>
            </xsl:for-each>
          </tg:mentions>
        </xsl:for-each-group>
      </xsl:if>
    </tg:facts>
  </xsl:template>

  <!-- How a register lists the document: "Mao Zedong to Stalin, 7 November 1950", or its title. -->
  <xsl:function name="tg:doc-label" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="from" select="tg:party(tg:sent($node))"/>
    <xsl:variable name="to" select="tg:party(tg:received($node))"/>
    <xsl:sequence select="if (tg:is-correspondence($node) and $from)
                          then $from || ' to ' || $to || ', ' || tg:action-date(tg:sent($node))
                          else tg:title($node)"/>
  </xsl:function>

  <!-- Where in its document a mention stands, in words: "paragraph 3", "heading", "quoted telegram, signature". -->
  <xsl:function name="tg:where" as="xs:string">
    <xsl:param name="mention" as="element()"/>
    <xsl:variable name="block" select="tg:block-of($mention)"/>
    <xsl:variable name="part" select="
      if ($mention/ancestor::note[not(@place = 'inline')]) then 'note'
      else if ($mention/ancestor::div[@type = 'registry']) then 'cipher office notes'
      else if ($mention/ancestor::seg[@type = 'distribution']) then 'distribution'
      else if ($mention/ancestor::seg[@type = 'address'] or $mention/ancestor::salute) then 'address'
      else if ($mention/ancestor::dateline) then 'dateline'
      else if ($mention/ancestor::signed) then 'signature'
      else if ($block/self::head) then 'heading'
      else if ($block/self::item) then 'list item ' || (count($block/preceding-sibling::item) + 1)
      else if ($block/self::p) then 'paragraph ' || tg:paragraph-number($block)
      else if ($block) then local-name($block) else 'text'"/>
    <xsl:variable name="language" select="$mention/ancestor::div[@xml:lang][1]/@xml:lang"/>
    <xsl:sequence select="string-join((
        if ($mention/ancestor::body/div[@xml:lang][2]) then tg:language-name($language) else (),
        if ($mention/ancestor::floatingText) then 'quoted telegram' else (),
        $part), ', ')"/>
  </xsl:function>

  <!-- A paragraph's number among the paragraphs of its own language division (or of the whole text). -->
  <xsl:function name="tg:paragraph-number" as="xs:integer">
    <xsl:param name="p" as="element()"/>
    <xsl:variable name="scope" select="($p/ancestor::floatingText, $p/ancestor::div[@xml:lang], $p/ancestor::text)[1]"/>
    <xsl:sequence select="count($scope//p[. &lt;&lt; $p][not(ancestor::note)]) + 1"/>
  </xsl:function>
</xsl:stylesheet>
