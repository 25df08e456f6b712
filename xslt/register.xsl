<?xml version="1.0" encoding="UTF-8"?>
<!--
  A register page (persons, places or organisations): each entry with its name forms, role and identification,
  and every mention in the corpus linked back to the name in its document and to its paragraph.
  Called at the named template "register" with $register-kind = persons | places | organisations.
  A large register is paged (site.py decides, from the mentions counted in the first pass): the register page then
  keeps every entry (so that every link from a telegram, "persons.html#id", still lands on its entry) and lists each
  entry's mentions on pages of their own, $mention-docs-per-page documents each ("persons~pers-mao~1.html", "~" being
  a character no document's page name holds). The same run writes them, into $mention-pages-folder beside its output
  (site.py moves them into place), so that the index of the mentions is built once per register.
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

  <!-- 0: every entry lists its mentions in place; N: the register is paged, N documents to a mentions page. -->
  <xsl:param name="mention-docs-per-page" as="xs:string" select="'0'"/>
  <xsl:param name="mention-pages-folder" as="xs:string" select="''"/>
  <xsl:variable name="per-page" select="xs:integer($mention-docs-per-page)"/>

  <xsl:function name="tg:mentions-page" as="xs:string">
    <xsl:param name="entry-id" as="xs:string"/>
    <xsl:param name="part" as="xs:integer"/>
    <xsl:sequence select="$register-kind || '~' || $entry-id || '~' || $part || '.html'"/>
  </xsl:function>

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
    <xsl:if test="$per-page gt 0">
      <xsl:for-each select="$entries">
        <xsl:variable name="here" select="key('mentions', string(@xml:id), $mention-list)"/>
        <!-- grouped and sorted once for all its pages, not again for each page -->
        <xsl:variable name="documents" select="tg:by-document($here)"/>
        <xsl:variable name="parts" select="xs:integer(ceiling(count($documents) div $per-page))"/>
        <xsl:variable name="entry" select="."/>
        <xsl:for-each select="1 to $parts">
          <xsl:result-document href="{$mention-pages-folder}/{tg:mentions-page($entry/@xml:id, .)}">
            <xsl:call-template name="mentions">
              <xsl:with-param name="entry" select="$entry"/>
              <xsl:with-param name="here" select="$here"/>
              <xsl:with-param name="documents" select="$documents[position() = ((current() - 1) * $per-page + 1) to current() * $per-page]"/>
              <xsl:with-param name="part" select="."/>
              <xsl:with-param name="parts" select="$parts"/>
            </xsl:call-template>
          </xsl:result-document>
        </xsl:for-each>
      </xsl:for-each>
    </xsl:if>
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
            <xsl:when test="$here and $per-page gt 0">
              <xsl:variable name="docs" select="count(distinct-values($here/../@doc))"/>
              <xsl:variable name="parts" select="xs:integer(ceiling($docs div $per-page))"/>
              <p class="mention-pages">{count($here)} mentions in {$docs} documents, listed
                {if ($parts gt 1) then 'on ' || $parts || ' pages:' else 'on their own page:'}
                <xsl:for-each select="1 to $parts">
                  <a class="mention-page" href="{tg:mentions-page($id, .)}">{if ($parts gt 1) then 'page ' || . else 'mentions'}</a>
                  <xsl:if test=". lt $parts">, </xsl:if>
                </xsl:for-each>
              </p>
            </xsl:when>
            <xsl:when test="$here">
              <!-- Not indexed for search: every form is indexed in its telegram, and the lists of a large corpus
                   would be most of the index (about half of Pagefind's time at 10,000 documents). -->
              <xsl:call-template name="mention-list">
                <xsl:with-param name="documents" select="tg:by-document($here)"/>
              </xsl:call-template>
            </xsl:when>
            <xsl:otherwise><span class="none">not mentioned in the texts (named in the metadata only)</span></xsl:otherwise>
          </xsl:choose>
        </dd>
      </dl>
    </section>
  </xsl:template>


  <!-- The mentions of one entry, one array per document, the documents in date order. -->
  <xsl:function name="tg:by-document" as="array(element())*">
    <xsl:param name="here" as="element()*"/>
    <xsl:for-each-group select="$here" group-by="../@doc">
      <xsl:sort select="../@sort-key"/>
      <xsl:sequence select="array{current-group()}"/>
    </xsl:for-each-group>
  </xsl:function>

  <!-- Mentions by document (tg:by-document): all of an entry's, or those of one page of them. -->
  <xsl:template name="mention-list">
    <xsl:param name="documents" as="array(element())*"/>
    <ul class="mentions" data-pagefind-ignore="">
      <xsl:for-each select="$documents">
        <xsl:variable name="group" select="?*"/>
        <xsl:variable name="doc-id" select="string($group[1]/../@doc)"/>
        <li>
          <a class="mention-doc" href="{$doc-id}.html">{$group[1]/../@label}</a>:
          <xsl:for-each select="$group">
            <a class="mention" href="{$doc-id}.html#{@id}">
              <xsl:if test="@lang"><xsl:attribute name="lang" select="@lang"/></xsl:if>
              <span class="form">{.}</span>
              <span class="where" lang="en"> ({@where})</span>
            </a>
            <xsl:if test="position() lt last()">, </xsl:if>
          </xsl:for-each>
        </li>
      </xsl:for-each>
    </ul>
  </xsl:template>

  <!-- One page of an entry's mentions, when the register is paged: the entry's name, then its documents of this part
       ($documents, from tg:by-document). -->
  <xsl:template name="mentions">
    <xsl:param name="entry" as="element()"/>
    <xsl:param name="here" as="element()*"/>
    <xsl:param name="documents" as="array(element())*"/>
    <xsl:param name="part" as="xs:integer"/>
    <xsl:param name="parts" as="xs:integer"/>
    <xsl:variable name="kind" select="$kinds($register-kind)"/>
    <xsl:variable name="entry-id" select="string($entry/@xml:id)"/>
    <xsl:variable name="name" select="tg:entry-name($entry)"/>
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="'Mentions of ' || $name || (if ($parts gt 1) then ', page ' || $part else '') || ' — ' || $edition-short-title"/>
      <xsl:with-param name="page-class" select="'register-page mentions-page register-' || $register-kind"/>
      <xsl:with-param name="current" select="$kind?page"/>
      <xsl:with-param name="content">
        <header class="page-header">
          <p class="doc-kind">Register: {$kind?title}</p>
          <h1>Mentions of <a href="{$kind?page}#{$entry-id}">{$name}</a></h1>
          <p class="lede">{count($here)} mentions in all{if ($parts gt 1) then '; page ' || $part || ' of ' || $parts else ''}.</p>
        </header>
        <section class="entry" id="{$entry-id}">
          <xsl:call-template name="mention-list">
            <xsl:with-param name="documents" select="$documents"/>
          </xsl:call-template>
        </section>
        <xsl:if test="$parts gt 1">
          <nav class="prev-next" aria-label="Pages of mentions">
            <xsl:if test="$part gt 1"><a rel="prev" href="{tg:mentions-page($entry-id, $part - 1)}">Previous page</a> </xsl:if>
            <xsl:if test="$part lt $parts"><a rel="next" href="{tg:mentions-page($entry-id, $part + 1)}">Next page</a></xsl:if>
          </nav>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
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
