// MarketData module.
