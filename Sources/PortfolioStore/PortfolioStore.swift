// PortfolioStore module.
