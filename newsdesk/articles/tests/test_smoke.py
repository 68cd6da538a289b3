def test_article_page_renders(client, article):
    response = client.get(article.url)
    assert response.status_code == 200
    assert b"Rivers run dry across the plain" in response.content
