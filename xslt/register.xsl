<?xml version="1.0" encoding="UTF-8"?>
<!--
  A register page (persons, places or organisations): each entry with its name forms, role and identification,
  and every mention in the corpus linked back to the name in its document and to its paragraph.
  Called at the named template "register" with $register-kind = persons | places | organisations.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tg="urn:telegrams:edition"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all"
    expand-text="yes">

  <xsl:import href="html.xsl"/>

  <xsl:param name="register-kind" as="xs:string" select="'persons'"/>

  <xsl:variable name="kinds" select="map{
      'persons': map{'title': 'Persons', 'entries': 'person personGrp', 'page': 'persons.html'},
      'places': map{'title': 'Places', 'entries': 'place', 'page': 'places.html'},
      'organisations': map{'title': 'Organisations', 'entries': 'org', 'page': 'organisations.html'}}"/>

  <!-- Every mention in the corpus, gathered once per run from facts.xsl's output (site.py): per document, in corpus
       order, a tg:mentions holding a tg:m for each name whose @ref points into the registers. -->
  <xsl:param name="mention-list" as="document-node()?" select="()"/>
  <xsl:key name="mentions" match="tg:m" use="@entry"/>

  <xsl:template name="register">
    <xsl:variable name="kind" select="$kinds($register-kind)"/>
    <xsl:variable name="entries" as="element()*">
      <xsl:perform-sort select="$registers//*[local-name() = tokenize($kind?entries, ' ')][@xml:id]">
        <xsl:sort select="lower-case(tg:sort-name(.))" lang="en"/>
        <xsl:sort select="lower-case(tg:entry-name(.))" lang="en"/>
      </xsl:perform-sort>
    </xsl:variable>
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="$kind?title || ' — ' || $edition-short-title"/>
      <xsl:with-param name="page-class" select="'register-page register-' || $register-kind"/>
      <xsl:with-param name="current" select="$kind?page"/>
      <xsl:with-param name="content">
        <header class="page-header">
          <p class="doc-kind">Register</p>
          <h1>{$kind?title}</h1>
          <p class="lede">{count($entries)} entries. Each gives the normalized name, every form under which the texts
            name it, and every mention, linked to the place in the text.</p>
        </header>
        <xsl:if test="count($entries) gt 8">
          <nav class="register-toc" aria-label="Entries">
            <ul>
              <xsl:for-each select="$entries">
                <li><a href="#{@xml:id}">{tg:entry-name(.)}</a></li>
              </xsl:for-each>
            </ul>
          </nav>
        </xsl:if>
        <div class="entries" data-pagefind-body="">
          <span hidden="hidden" data-pagefind-meta="title">{$kind?title}</span>
          <xsl:apply-templates select="$entries" mode="entry"/>
          <xsl:if test="empty($entries)">
            <p class="notice">The register is empty{if (empty($registers)) then ': no registers.xml was found or it could not be read.' else '.'}</p>
          </xsl:if>
        </div>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="*" mode="entry">
    <xsl:variable name="id" select="string(@xml:id)"/>
    <xsl:variable name="here" select="if ($mention-list) then key('mentions', $id, $mention-list) else ()"/>
    <section class="entry" id="{$id}" aria-labelledby="{$id}-name">
      <h2 id="{$id}-name">{tg:entry-name(.)}
        <xsl:variable name="life" select="substring-after(tg:entry-label(.), tg:entry-name(.))"/>
        <xsl:if test="$life"><span class="life">{$life}</span></xsl:if>
      </h2>
      <dl class="entry-facts">
        <xsl:variable name="forms" select="(persName | placeName | orgName | name | geogName)[not(@type = 'normalized')]"/>
        <xsl:if test="$forms">
          <dt data-pagefind-ignore="">Name forms</dt>
          <dd>
            <ul class="forms">
              <xsl:for-each select="$forms">
                <li>
                  <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
                  {tg:name-string(.)}
                  <xsl:if test="@type = 'cover-name'"> <span class="form-type"> (cover name)</span></xsl:if>
                </li>
              </xsl:for-each>
            </ul>
            <xsl:text> </xsl:text>
          </dd>
        </xsl:if>
        <xsl:for-each select="occupation | roleName | state | desc | location/(settlement | country | region) | country">
          <dt data-pagefind-ignore="">{if (self::occupation) then 'Role' else if (self::location or parent::location) then 'Location' else 'Description'}</dt>
          <dd><xsl:apply-templates/><xsl:text> </xsl:text></dd>
        </xsl:for-each>
        <xsl:for-each select="note">
          <dt data-pagefind-ignore="">{if (@type = 'identification') then 'Identification' else 'Note'}</dt>
          <dd><xsl:apply-templates/><xsl:text> </xsl:text></dd>
        </xsl:for-each>
        <dt data-pagefind-ignore="">Mentions</dt>
        <dd>
          <xsl:choose>
            <xsl:when test="$here">
              <!-- Not indexed for search: every form is indexed in its telegram, and the lists of a large corpus
                   would be most of the index (about half of Pagefind's time at 10,000 documents). -->
              <ul class="mentions" data-pagefind-ignore="">
                <xsl:for-each-group select="$here" group-by="../@doc">
                  <xsl:sort select="../@sort-key"/>
                  <xsl:variable name="doc-id" select="string(../@doc)"/>
                  <li>
                    <a class="mention-doc" href="{$doc-id}.html">{../@label}</a>:
                    <xsl:for-each select="current-group()">
                      <a class="mention" href="{$doc-id}.html#{@id}">
                        <xsl:if test="@lang"><xsl:attribute name="lang" select="@lang"/></xsl:if>
                        <span class="form">{.}</span>
                        <span class="where" lang="en"> ({@where})</span>
                      </a>
                      <xsl:if test="position() lt last()">, </xsl:if>
                    </xsl:for-each>
                  </li>
                </xsl:for-each-group>
              </ul>
            </xsl:when>
            <xsl:otherwise><span class="none">not mentioned in the texts (named in the metadata only)</span></xsl:otherwise>
          </xsl:choose>
        </dd>
      </dl>
    </section>
  </xsl:template>

  <!-- Persons file under their family name: the shortest one-word form that is part of the normalized name
       ("Stalin" in "Iosif Vissarionovich Stalin", "Mao" in "Mao Zedong"); anything else under its normalized name. -->
  <xsl:function name="tg:sort-name" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="words" select="tokenize(tg:entry-name($entry), '\s+')"/>
    <xsl:variable name="family" as="xs:string*">
      <xsl:perform-sort select="$entry/persName[not(@type = ('normalized', 'cover-name'))]
                                ! normalize-space(.)[not(contains(., ' '))][. = $words]">
        <xsl:sort select="string-length(.)"/>
      </xsl:perform-sort>
    </xsl:variable>
    <xsl:sequence select="($family[1], tg:entry-name($entry))[1]"/>
  </xsl:function>

</xsl:stylesheet>
