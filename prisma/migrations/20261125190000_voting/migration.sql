-- CreateEnum
CREATE TYPE "VoteMethod" AS ENUM ('weighted_confidence', 'simple_majority');

-- CreateEnum
CREATE TYPE "VoteStatus" AS ENUM ('open', 'decided', 'escalated');

-- CreateTable
CREATE TABLE "votes" (
    "id" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "options" TEXT[],
    "voters" TEXT[],
    "method" "VoteMethod" NOT NULL DEFAULT 'weighted_confidence',
    "threshold" DOUBLE PRECISION NOT NULL DEFAULT 0.7,
    "quorum" INTEGER,
    "require_rationale" BOOLEAN NOT NULL DEFAULT false,
    "status" "VoteStatus" NOT NULL DEFAULT 'open',
    "closes_at" TIMESTAMPTZ(3),
    "result" JSONB,
    "decided_by" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "votes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ballots" (
    "vote_id" TEXT NOT NULL,
    "voter" TEXT NOT NULL,
    "option" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "rationale" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ballots_pkey" PRIMARY KEY ("vote_id","voter")
);

-- CreateIndex
CREATE INDEX "votes_status_closes_at_idx" ON "votes"("status", "closes_at");

-- CreateIndex
CREATE INDEX "votes_created_at_idx" ON "votes"("created_at" DESC);

-- AddForeignKey
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_vote_id_fkey" FOREIGN KEY ("vote_id") REFERENCES "votes"("id") ON DELETE CASCADE ON UPDATE CASCADE;
