"""The coordinator: ``editwatch run`` handing its checks to crawl workers through Redis."""
