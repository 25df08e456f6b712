<?xml version="1.0" encoding="UTF-8"?>
<!--
  cmif.xsl: the edition's teiCorpus -> one CMIF file (Correspondence Metadata Interchange Format, the TEI subset
  that correspSearch harvests). Run by `telegrams deposit` (scripts/telegrams/deposit/cmif.py), which passes the
  edition's metadata from metadata/edition.toml as parameters.

  One correspDesc per telegram (<TEI> whose text/@type is "telegram"), with a "sent" and a "received" action
  holding only persName/orgName, placeName and date, as CMIF requires:
  - names are the register's preferred form when the pointer resolves; @ref is the register entry's authority URI,
    the one URI correspSearch matches on: its idno of type viaf or wikidata (persons, organisations) or geonames
    or wikidata (places), which hold bare identifiers as the ODD has it, made into the authority's URI; else its
    first idno or @sameAs that is already an http(s) URI; left out when there is none;
  - dates keep @when, @notBefore, @notAfter, @from, @to cut to YYYY-MM-DD (CMIF allows no time of day);
  - other actions (transmitted, forwarded...) have no place in CMIF and are left out;
  - a missing sender or addressee is "Unknown", as the CMIF documentation asks.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:tg="urn:telegrams:edition"
                xmlns="http://www.tei-c.org/ns/1.0"
                xpath-default-namespace="http://www.tei-c.org/ns/1.0"
                exclude-result-prefixes="#all">

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:param name="title" as="xs:string" required="yes"/>
  <xsl:param name="editor" as="xs:string" required="yes"/>
  <xsl:param name="editor-email" as="xs:string" select="''"/>
  <xsl:param name="publisher" as="xs:string" required="yes"/>
  <xsl:param name="publisher-url" as="xs:string" select="''"/>
  <!-- where this CMIF file will be published; CMIF asks for it, correspSearch needs it to harvest -->
  <xsl:param name="cmif-url" as="xs:string" select="''"/>
  <!-- the edition's home page: each telegram's page is its id + '.html' there -->
  <xsl:param name="edition-url" as="xs:string" select="''"/>
  <xsl:param name="timestamp" as="xs:string" required="yes"/>
  <xsl:param name="licence-url" as="xs:string" required="yes"/>
  <xsl:param name="licence-text" as="xs:string" required="yes"/>
  <xsl:param name="bibl-id" as="xs:string" required="yes"/>
  <xsl:param name="citation" as="xs:string" required="yes"/>

  <xsl:key name="register" match="person | place | org" use="@xml:id"/>

  <xsl:variable name="corpus" select="/"/>

  <xsl:template match="/">
    <TEI>
      <teiHeader>
        <fileDesc>
          <titleStmt>
            <title><xsl:value-of select="$title"/></title>
            <editor>
              <xsl:value-of select="$editor"/>
              <xsl:if test="$editor-email">
                <email><xsl:value-of select="$editor-email"/></email>
              </xsl:if>
            </editor>
          </titleStmt>
          <publicationStmt>
            <publisher>
              <xsl:choose>
                <xsl:when test="$publisher-url">
                  <ref target="{$publisher-url}"><xsl:value-of select="$publisher"/></ref>
                </xsl:when>
                <xsl:otherwise><xsl:value-of select="$publisher"/></xsl:otherwise>
              </xsl:choose>
            </publisher>
            <xsl:if test="$cmif-url">
              <idno type="url"><xsl:value-of select="$cmif-url"/></idno>
            </xsl:if>
            <date when="{$timestamp}"/>
            <availability>
              <licence target="{$licence-url}"><xsl:value-of select="$licence-text"/></licence>
            </availability>
          </publicationStmt>
          <sourceDesc>
            <bibl type="online" xml:id="{$bibl-id}">
              <xsl:value-of select="$citation"/>
              <xsl:if test="$edition-url">
                <xsl:text> </xsl:text>
                <ref target="{$edition-url}"><xsl:value-of select="$edition-url"/></ref>
              </xsl:if>
            </bibl>
          </sourceDesc>
        </fileDesc>
        <profileDesc>
          <xsl:apply-templates select="//TEI[not(text/@type = ('commentary', 'introduction'))][teiHeader/profileDesc/correspDesc]"/>
        </profileDesc>
      </teiHeader>
      <text>
        <body>
          <p/>
        </body>
      </text>
    </TEI>
  </xsl:template>

  <xsl:template match="TEI">
    <xsl:variable name="letter" select="teiHeader/profileDesc/correspDesc[1]"/>
    <correspDesc key="{@xml:id}" source="#{$bibl-id}">
      <xsl:if test="$edition-url">
        <xsl:attribute name="ref" select="resolve-uri(@xml:id || '.html', $edition-url)"/>
      </xsl:if>
      <xsl:for-each select="'sent', 'received'">
        <xsl:variable name="type" select="."/>
        <xsl:variable name="action" select="$letter/correspAction[@type = $type][1]"/>
        <correspAction type="{$type}">
          <xsl:choose>
            <xsl:when test="$action/(persName | orgName)">
              <xsl:apply-templates select="$action/(persName | orgName)"/>
            </xsl:when>
            <xsl:otherwise>
              <persName>Unknown</persName>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:apply-templates select="$action/placeName, $action/date"/>
        </correspAction>
      </xsl:for-each>
    </correspDesc>
  </xsl:template>

  <xsl:template match="persName | orgName | placeName">
    <xsl:variable name="entry" select="key('register', substring-after(@ref, '#'), $corpus)[1]"/>
    <xsl:variable name="order" select="if (self::placeName) then ('geonames', 'wikidata') else ('viaf', 'wikidata')"/>
    <xsl:variable name="authority"
                  select="(for $type in $order return $entry/idno[@type = $type] ! tg:authority-uri(.),
                           $entry/idno[matches(normalize-space(.), '^https?://')] ! normalize-space(.),
                           tokenize($entry/@sameAs)[matches(., '^https?://')])[1]"/>
    <xsl:element name="{local-name()}">
      <xsl:if test="exists($authority)">
        <xsl:attribute name="ref" select="$authority"/>
      </xsl:if>
      <xsl:variable name="preferred" select="$entry/*[local-name() = current()/local-name()][1]"/>
      <xsl:value-of select="normalize-space(if ($preferred) then $preferred else .)"/>
    </xsl:element>
  </xsl:template>

  <!-- the URI of a register idno holding a bare identifier, in the form correspSearch expects -->
  <xsl:function name="tg:authority-uri" as="xs:string">
    <xsl:param name="idno" as="element()"/>
    <xsl:variable name="id" select="normalize-space($idno)"/>
    <xsl:sequence select="if (matches($id, '^https?://')) then $id
                          else map {'viaf': 'http://viaf.org/viaf/', 'wikidata': 'http://www.wikidata.org/entity/',
                                    'geonames': 'https://www.geonames.org/'}($idno/@type) || $id"/>
  </xsl:function>

  <!-- CMIF forbids a date without a dating attribute: the text alone says nothing machine-readable -->
  <xsl:template match="date"/>

  <xsl:template match="date[@when or @notBefore or @notAfter or @from or @to]">
    <date>
      <xsl:for-each select="@when, @notBefore, @notAfter, @from, @to">
        <xsl:attribute name="{local-name()}" select="substring(., 1, 10)"/>
      </xsl:for-each>
    </date>
  </xsl:template>

</xsl:stylesheet>
